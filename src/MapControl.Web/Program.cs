using MapControl.Web.Components;

var builder = WebApplication.CreateBuilder(args);
builder.AddOneMapUi();

var app = builder.Build();
app.MapOneMapUi();
app.Run();

/// <summary>Entry point, public for WebApplicationFactory.</summary>
public partial class Program;
