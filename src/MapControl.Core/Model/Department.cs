namespace MapControl.Core.Model;

/// <summary>A protection department (护卫部) with the colour it has on every map and chart.</summary>
public sealed record Department(string Code, string Name, string Colour);
