using System.Net;
using System.Text.Json;
using MapControl.Data.PostGis.Tiles;
using MapControl.Web.Tests.Ogc;
using NetTopologySuite.IO.VectorTiles.Mapbox;

namespace MapControl.Web.Tests.Tiles;

[Collection(InteropCollection.Name)]
public sealed class BasemapApiTests(InteropServer server)
{
    [Fact]
    public async Task Basemap_tile_over_Dongying_decodes_with_the_Yellow_River_and_needs_no_token()
    {
        // The Yellow River passes 118.62E 37.64N (data/sample/basemap.geojson).
        var t = TileAddress.Containing(118.62, 37.64, 10);
        using var client = server.Anonymous();
        var response = await client.GetAsync($"/basemap/{t}.pbf");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var tile = new MapboxTileReader().Read(stream, new NetTopologySuite.IO.VectorTiles.Tiles.Tile(t.X, t.Y, t.Z));
        var river = tile.Layers.Single(l => l.Name == "river");
        river.Features.Select(f => (string)f.Attributes["name"]).Should().Contain("黄河");
    }

    [Fact]
    public async Task Basemap_tilejson_points_at_the_pbf_tiles_with_zooms_6_to_14()
    {
        using var client = server.Anonymous();
        var json = JsonDocument.Parse(await client.GetStringAsync("/basemap.json")).RootElement;
        json.GetProperty("tilejson").GetString().Should().Be("3.0.0");
        json.GetProperty("minzoom").GetInt32().Should().Be(6);
        json.GetProperty("maxzoom").GetInt32().Should().Be(14);
        json.GetProperty("tiles")[0].GetString().Should().EndWith("/basemap/{z}/{x}/{y}.pbf");
        json.GetProperty("vector_layers").EnumerateArray().Select(l => l.GetProperty("id").GetString()).Should().Equal("sea", "coast", "river", "road", "town");
    }

    [Fact]
    public async Task Basemap_tile_outside_the_built_extent_is_empty()
    {
        using var client = server.Anonymous();
        var response = await client.GetAsync("/basemap/10/0/0.pbf");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
    }
}
