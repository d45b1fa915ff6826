using MapControl.Web;
using MapControl.Web.Apis;
using MapControl.Web.Components;
using MapControl.Web.Hosting;
using MapControl.Web.Ingest;

var builder = WebApplication.CreateBuilder(args);

builder.AddMapControlDatabase();
builder.AddHosting();
builder.AddGpsRetention();
builder.Services.AddProblemDetails();
builder.AddOneMapUi();
builder.AddInteroperability();

var app = builder.Build();

app.UseSecurityHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapHealthApi();
app.MapInteroperability();
app.MapOneMapUi();

app.Run();

/// <summary>The web application's entry point, public for WebApplicationFactory.</summary>
public partial class Program;
