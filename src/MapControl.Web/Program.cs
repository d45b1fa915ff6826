using MapControl.Web.Apis;
using MapControl.Web.Components;

var builder = WebApplication.CreateBuilder(args);
builder.AddOneMapUi();
builder.AddInteroperability();

var app = builder.Build();
app.UseStatusCodePages();
app.MapInteroperability();
app.MapOneMapUi();
app.Run();

/// <summary>Entry point, public for WebApplicationFactory.</summary>
public partial class Program;
