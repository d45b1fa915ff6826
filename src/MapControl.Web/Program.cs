using MapControl.Web;
using MapControl.Web.Apis;

var builder = WebApplication.CreateBuilder(args);

builder.AddMapControlDatabase();
builder.Services.AddProblemDetails();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapHealthApi();

app.Run();

/// <summary>The web application's entry point, public for WebApplicationFactory.</summary>
public partial class Program;
