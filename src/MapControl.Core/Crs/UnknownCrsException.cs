namespace MapControl.Core.Crs;

/// <summary>Thrown when an EPSG code, a .prj text or a WKT string names no coordinate reference system MapControl can use.</summary>
public sealed class UnknownCrsException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public UnknownCrsException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and the parser error behind it.</summary>
    public UnknownCrsException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
