using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using MapControl.Data.Files;
using Microsoft.Data.Sqlite;
using NetTopologySuite.IO;

namespace MapControl.Tests.Corpus;

/// <summary>What a corpus file must lead to.</summary>
public enum CorpusOutcome
{
    /// <summary>The reader refuses it: a <see cref="FeatureFileException"/>, 400 from the import endpoint.</summary>
    Refused,

    /// <summary>Beyond an <see cref="ImportLimits"/> bound: a <see cref="FeatureFileException"/> with LimitExceeded, 413 from the endpoint.</summary>
    LimitExceeded,

    /// <summary>The reader repairs it and says so in a note; the import refuses a repaired geometry (422).</summary>
    Repaired,
}

/// <summary>One bad input: the files of one upload (a Shapefile is several), the one to read, and what must come of it.</summary>
public sealed record CorpusCase(string Name, IReadOnlyDictionary<string, byte[]> Files, string MainFile, CorpusOutcome Outcome, string MessageContains)
{
    /// <summary>Writes the files into <paramref name="folder"/>; returns the path of the main file.</summary>
    public string WriteTo(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, bytes) in Files)
        {
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
        }

        return Path.Combine(folder, MainFile);
    }

    /// <summary>The files zipped into one archive (how a Shapefile is usually uploaded).</summary>
    public byte[] Zipped() => BadInputCorpus.Zip(Files.Select(f => (f.Key, f.Value)).ToArray());

    public override string ToString() => Name;
}

/// <summary>A bad upload archive (zip bombs, zip-slip, broken archives) and what must come of it.</summary>
public sealed record ZipCase(string Name, byte[] Bytes, CorpusOutcome Outcome, string MessageContains)
{
    public override string ToString() => Name;
}

/// <summary>
/// The bad-input corpus (tests/corpus/README.md): truncated and inconsistent Shapefiles, broken GeoPackages, hostile KML, GeoJSON
/// that is deeply nested, non-finite, swapped, projected or self-intersecting, broken CSV, and zip bombs — all generated at run time
/// from small valid files the writers of MapControl.Data make, so nothing large is committed. The same cases run against every
/// reader (MapControl.Data.Tests) and against POST /api/import (MapControl.Web.Tests).
/// </summary>
public static class BadInputCorpus
{
    /// <summary>Three lon/lat squares near Dongying with code and name: valid for the oil-zones import.</summary>
    public static IReadOnlyList<FeatureRecord> ValidFeatures { get; } =
    [
        Square("OZ91", "九一区", 118.40, 37.40),
        Square("OZ92", "九二区", 118.50, 37.40),
        Square("OZ93", "九三区", 118.60, 37.40),
    ];

    /// <summary>The valid base files (for the fuzz run): a Shapefile set, a GeoPackage, GeoJSON, KML and CSV.</summary>
    public static IReadOnlyDictionary<string, byte[]> ValidFiles(string scratch)
    {
        Directory.CreateDirectory(scratch);
        var shp = Path.Combine(scratch, "zones.shp");
        FeatureFiles.WriteShapefile(shp, ValidFeatures);
        var gpkg = Path.Combine(scratch, "zones.gpkg");
        FeatureFiles.WriteGeoPackage(gpkg, ValidFeatures, "zones");
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var ext in new[] { ".shp", ".shx", ".dbf", ".prj", ".cpg" })
        {
            files["zones" + ext] = File.ReadAllBytes(Path.ChangeExtension(shp, ext));
        }

        files["zones.gpkg"] = File.ReadAllBytes(gpkg);
        files["zones.geojson"] = Encoding.UTF8.GetBytes(FeatureFiles.ToGeoJson(ValidFeatures));
        files["zones.kml"] = Encoding.UTF8.GetBytes(Kml(
            "<Placemark><name>OZ91</name><Polygon><outerBoundaryIs><LinearRing><coordinates>118.4,37.4 118.45,37.4 118.45,37.45 118.4,37.45 118.4,37.4</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>"
            + "<Placemark><name>OZ92</name><ExtendedData><Data name=\"code\"><value>OZ92</value></Data></ExtendedData><Polygon><outerBoundaryIs><LinearRing><coordinates>118.5,37.4 118.55,37.4 118.55,37.45 118.5,37.45 118.5,37.4</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>"));
        files["points.csv"] = Encoding.UTF8.GetBytes("code,name,lon,lat\nW1,一号,118.41,37.41\nW2,二号,118.52,37.42\n");
        return files;
    }

    /// <summary>Every file case, made in a temporary folder that is deleted again (the cases hold their bytes).</summary>
    public static IReadOnlyList<CorpusCase> Cases() => InTemporaryFolder(Cases);

    /// <summary>Every zip case, made in a temporary folder that is deleted again.</summary>
    public static IReadOnlyList<ZipCase> ZipCases() => InTemporaryFolder(ZipCases);

    private static T InTemporaryFolder<T>(Func<string, T> make)
    {
        var folder = Directory.CreateTempSubdirectory("mc-corpus-").FullName;
        try
        {
            return make(folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Every file case; <paramref name="scratch"/> is a folder for the writers.</summary>
    public static IReadOnlyList<CorpusCase> Cases(string scratch)
    {
        var valid = ValidFiles(scratch);
        var cases = new List<CorpusCase>();
        cases.AddRange(ShapefileCases(valid));
        cases.AddRange(GeoPackageCases(valid["zones.gpkg"], scratch));
        cases.AddRange(KmlCases());
        cases.AddRange(GeoJsonCases());
        cases.AddRange(CsvCases());
        return cases;
    }

    private static IEnumerable<CorpusCase> ShapefileCases(IReadOnlyDictionary<string, byte[]> valid)
    {
        var shp = valid["zones.shp"];
        var shx = valid["zones.shx"];
        var dbf = valid["zones.dbf"];
        const int record1 = 100; // header of record 1; its content starts at 108
        const int content1 = 108;
        var recordBytes = 8 + 2 * BinaryPrimitives.ReadInt32BigEndian(shp.AsSpan(record1 + 4));
        var points1 = BinaryPrimitives.ReadInt32LittleEndian(shp.AsSpan(content1 + 40));

        CorpusCase Shapefile(string name, string expect, byte[]? newShp = null, byte[]? newShx = null, byte[]? newDbf = null,
            CorpusOutcome outcome = CorpusOutcome.Refused)
        {
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
            {
                ["zones.shp"] = newShp ?? shp, ["zones.shx"] = newShx ?? shx, ["zones.dbf"] = newDbf ?? dbf,
                ["zones.prj"] = valid["zones.prj"], ["zones.cpg"] = valid["zones.cpg"],
            };
            return new CorpusCase(name, files, "zones.shp", outcome, expect);
        }

        // the reproduction of the issue: the first 150 bytes of a valid .shp, with its .shx, .dbf and .prj
        yield return Shapefile("shp-truncated-150-bytes", "truncated", newShp: shp[..150]);
        yield return Shapefile("shp-truncated-in-header", "truncated", newShp: shp[..60]);
        yield return Shapefile("shp-truncated-last-record", "truncated", newShp: shp[..^10]);
        yield return Shapefile("shp-not-a-shapefile", "file code", newShp: Patch(shp, b => BinaryPrimitives.WriteInt32BigEndian(b, 1234)));
        yield return Shapefile("shp-header-length-beyond-file", "truncated",
            newShp: Patch(shp, b => BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(24), shp.Length / 2 + 1_000_000)));
        yield return Shapefile("shp-record-length-past-end", "past the end",
            newShp: Patch(shp, b => BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(record1 + 4), 0x3FFFFFF0)));
        yield return Shapefile("shp-record-length-negative", "invalid length",
            newShp: Patch(shp, b => BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(record1 + 4), -8)));
        yield return Shapefile("shp-part-count-over-points", "parts",
            newShp: Patch(shp, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(content1 + 36), points1 + 1)));
        yield return Shapefile("shp-point-count-huge", "points need",
            newShp: Patch(shp, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(content1 + 40), int.MaxValue)));
        yield return Shapefile("shp-point-count-negative", "negative",
            newShp: Patch(shp, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(content1 + 40), -5)));
        yield return Shapefile("shp-part-offset-out-of-range", "part 1 starts",
            newShp: Patch(shp, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(content1 + 44), 99)));
        yield return Shapefile("shp-record-of-another-shape-type", "shape type",
            newShp: Patch(shp, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(content1), 1)));
        yield return Shapefile("shp-unknown-shape-type", "shape type",
            newShp: Patch(shp, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(32), 77)));
        yield return Shapefile("shx-disagrees-with-shp", ".shx disagrees",
            newShx: Patch(shx, b => BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(100 + 8), (record1 + recordBytes) / 2 + 4)));
        yield return Shapefile("shx-truncated", "truncated", newShx: shx[..^8]);
        yield return Shapefile("shx-fewer-entries", "entries",
            newShx: Patch(shx[..^8], b => BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(24), (shx.Length - 8) / 2)));
        yield return Shapefile("dbf-more-records-than-shapes", "records",
            newDbf: Patch(dbf, b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), 1_000_000)));
        yield return Shapefile("dbf-truncated", "truncated", newDbf: dbf[..^30]);
        yield return Shapefile("dbf-header-beyond-file", "header",
            newDbf: Patch(dbf, b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(8), 60_000)));
        yield return Shapefile("dbf-record-size-zero", "records of 0 bytes",
            newDbf: Patch(dbf, b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(10), 0)));
    }

    private static IEnumerable<CorpusCase> GeoPackageCases(byte[] gpkg, string scratch)
    {
        CorpusCase Case(string name, byte[] bytes, string expect, CorpusOutcome outcome = CorpusOutcome.Refused) =>
            new(name, new Dictionary<string, byte[]> { ["zones.gpkg"] = bytes }, "zones.gpkg", outcome, expect);

        byte[] Altered(string name, string sql)
        {
            var path = Path.Combine(scratch, name + ".gpkg");
            File.WriteAllBytes(path, gpkg);
            using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = sql;
                command.ExecuteNonQuery();
            }

            return File.ReadAllBytes(path);
        }

        var random = new Random(11);
        var noise = new byte[8192];
        random.NextBytes(noise);
        yield return Case("gpkg-truncated-half", gpkg[..(gpkg.Length / 2)], "GeoPackage");
        yield return Case("gpkg-truncated-header", gpkg[..100], "GeoPackage");
        yield return Case("gpkg-not-sqlite", noise, "GeoPackage");
        // WKB polygon claiming 2^31-1 points in a 40-byte blob: NTS would allocate them
        yield return Case("gpkg-blob-point-count-huge",
            Altered("huge", $"UPDATE zones SET geom = X'{GpHeader}010300000001000000FFFFFF7F{Zeros(16)}'"),
            "point count exceeds");
        yield return Case("gpkg-blob-ring-count-huge",
            Altered("rings", $"UPDATE zones SET geom = X'{GpHeader}0103000000FFFFFF7F{Zeros(16)}'"),
            "ring count exceeds");
        yield return Case("gpkg-blob-not-gp", Altered("garbage", "UPDATE zones SET geom = X'DEADBEEFDEADBEEF0102030405'"), "GP");
        yield return Case("gpkg-blob-truncated", Altered("cut", "UPDATE zones SET geom = substr(geom, 1, 20)"), "truncated");
        yield return Case("gpkg-blob-is-text", Altered("text", "UPDATE zones SET geom = 'POLYGON((0 0,1 0,1 1,0 0))'"), "not a blob");
        yield return Case("gpkg-blob-nested-collections",
            Altered("nested", $"UPDATE zones SET geom = X'{GpHeader}{string.Concat(Enumerable.Repeat("010700000001000000", 40))}0101000000{Zeros(16)}'"),
            "nested");
        // a "layer" that is a view making a 1 GB blob out of nothing
        yield return Case("gpkg-layer-is-a-view-bomb",
            Altered("view", "ALTER TABLE zones RENAME TO zones_data; CREATE VIEW zones AS SELECT fid, zeroblob(1000000000) AS geom, code FROM zones_data"),
            "not a table");
        // a generated column that makes 500 MB per row when read
        yield return Case("gpkg-generated-column-bomb",
            Altered("generated", "ALTER TABLE zones ADD COLUMN big BLOB GENERATED ALWAYS AS (zeroblob(500000000)) VIRTUAL"),
            "too big");
        yield return Case("gpkg-no-geometry-columns", Altered("nogc", "DROP TABLE gpkg_geometry_columns"), "gpkg_geometry_columns");
    }

    /// <summary>A GeoPackage blob header: "GP", version 0, flags 1 (little-endian, no envelope), srs_id 4326; hex.</summary>
    private const string GpHeader = "47500001E6100000";

    private static string Zeros(int bytes) => new('0', 2 * bytes);

    private static IEnumerable<CorpusCase> KmlCases()
    {
        CorpusCase Case(string name, string text, string expect, CorpusOutcome outcome = CorpusOutcome.Refused) =>
            new(name, new Dictionary<string, byte[]> { ["zones.kml"] = Encoding.UTF8.GetBytes(text) }, "zones.kml", outcome, expect);

        const string polygon = "<Polygon><outerBoundaryIs><LinearRing><coordinates>118.4,37.4 118.45,37.4 118.45,37.45 118.4,37.45 118.4,37.4</coordinates></LinearRing></outerBoundaryIs></Polygon>";
        yield return Case("kml-unclosed-tags", "<?xml version=\"1.0\"?><kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document><Placemark><name>OZ91</name>" + polygon,
            "not valid XML");
        yield return Case("kml-billion-laughs", """
            <?xml version="1.0"?>
            <!DOCTYPE kml [
              <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
              <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
              <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
              <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
              <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
              <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
              <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
              <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
            ]>
            <kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>&h;</name>
            """ + polygon + "</Placemark></Document></kml>", "DTD");
        yield return Case("kml-external-entity-xxe", """
            <?xml version="1.0"?>
            <!DOCTYPE kml [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
            <kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>&secret;</name>
            """ + polygon + "</Placemark></Document></kml>", "DTD");
        yield return Case("kml-deeply-nested", Kml("<Placemark><name>deep</name>" + string.Concat(Enumerable.Repeat("<x>", 100_000))
                                                   + string.Concat(Enumerable.Repeat("</x>", 100_000)) + polygon + "</Placemark>"), "nested");
        yield return Case("kml-not-kml", "<?xml version=\"1.0\"?><html><body>hello</body></html>", "not KML");
        yield return Case("kml-swapped-lat-lon", Kml("<Placemark><name>s</name><Point><coordinates>37.4,118.4</coordinates></Point></Placemark>"),
            "not a lon,lat");
        yield return Case("kml-nan", Kml("<Placemark><name>n</name><Point><coordinates>NaN,37.4</coordinates></Point></Placemark>"), "non-finite");
        yield return Case("kml-binary-garbage", Encoding.Latin1.GetString(new byte[] { 0x00, 0xFF, 0x3C, 0x6B, 0x00, 0x01 }), "not valid XML");
    }

    private static IEnumerable<CorpusCase> GeoJsonCases()
    {
        CorpusCase Case(string name, string text, string expect, CorpusOutcome outcome = CorpusOutcome.Refused) =>
            new(name, new Dictionary<string, byte[]> { ["zones.geojson"] = Encoding.UTF8.GetBytes(text) }, "zones.geojson", outcome, expect);

        string Feature(string geometry) =>
            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"code\":\"OZ91\",\"name\":\"x\"},\"geometry\":" + geometry + "}]}";

        yield return Case("geojson-deeply-nested-arrays", Feature("{\"type\":\"Polygon\",\"coordinates\":" + new string('[', 100_000) + new string(']', 100_000) + "}"),
            "not valid JSON");
        yield return Case("geojson-deeply-nested-objects", new StringBuilder().Insert(0, "{\"a\":", 100_000).Append('1').Append('}', 100_000).ToString(),
            "not valid JSON");
        yield return Case("geojson-nan", Feature("{\"type\":\"Point\",\"coordinates\":[NaN,37.4]}"), "not valid JSON");
        yield return Case("geojson-infinity-literal", Feature("{\"type\":\"Point\",\"coordinates\":[Infinity,37.4]}"), "not valid JSON");
        yield return Case("geojson-overflowing-number", Feature("{\"type\":\"Point\",\"coordinates\":[1e999,37.4]}"), "feature 1");
        yield return Case("geojson-swapped-lat-lon", Feature("{\"type\":\"Polygon\",\"coordinates\":[[[37.40,118.40],[37.40,118.45],[37.45,118.45],[37.45,118.40],[37.40,118.40]]]}"),
            "not a lon/lat position");
        yield return Case("geojson-projected-claiming-wgs84", Feature("{\"type\":\"Polygon\",\"coordinates\":[[[20600000,4140000],[20605000,4140000],[20605000,4145000],[20600000,4145000],[20600000,4140000]]]}"),
            "not a lon/lat position");
        yield return Case("geojson-self-intersecting-bowtie", Feature("{\"type\":\"Polygon\",\"coordinates\":[[[118.40,37.40],[118.45,37.45],[118.45,37.40],[118.40,37.45],[118.40,37.40]]]}"),
            "Self-intersection", CorpusOutcome.Repaired);
        yield return Case("geojson-too-many-vertices", Feature("{\"type\":\"LineString\",\"coordinates\":["
                                                               + string.Join(',', Enumerable.Range(0, 100_001).Select(i => $"[{118.4 + i * 1e-6:0.000000},37.4]")) + "]}"),
            "vertices per feature", CorpusOutcome.LimitExceeded);
        yield return Case("geojson-truncated", Feature("{\"type\":\"Point\",\"coordinates\":[118.4,37.4]}")[..40], "not valid JSON");
        yield return Case("geojson-not-geojson", "[1,2,3]", "not GeoJSON");
        yield return Case("geojson-empty", "", "not valid JSON");
        yield return Case("geojson-unknown-crs", "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::999999\"}},\"features\":[]}",
            "999999");
        yield return Case("geojson-geometry-wrong-shape", Feature("{\"type\":\"Polygon\",\"coordinates\":[1,2]}"), "malformed geometry");
    }

    private static IEnumerable<CorpusCase> CsvCases()
    {
        CorpusCase Case(string name, string text, string expect) =>
            new(name, new Dictionary<string, byte[]> { ["points.csv"] = Encoding.UTF8.GetBytes(text) }, "points.csv", CorpusOutcome.Refused, expect);

        yield return Case("csv-nan", "code,lon,lat\nW1,NaN,37.4\n", "not a number");
        yield return Case("csv-infinity", "code,lon,lat\nW1,1e999,37.4\n", "not a number");
        yield return Case("csv-swapped-lat-lon", "code,lon,lat\nW1,37.4,118.4\n", "not a lon/lat position");
        yield return Case("csv-unclosed-quote", "code,lon,lat\n\"W1,118.4,37.4\n", "not closed");
        yield return Case("csv-no-coordinates", "code,name\nW1,x\n", "no longitude column");
    }

    /// <summary>Zip cases for the staging of uploads (generated at run time: the bombs are a few hundred KB packed).</summary>
    public static IReadOnlyList<ZipCase> ZipCases(string scratch)
    {
        var valid = ValidFiles(scratch);
        var shapefile = new[] { "zones.shp", "zones.shx", "zones.dbf", "zones.prj" }.Select(n => (n, valid[n])).ToArray();
        var good = Zip(shapefile);
        var cases = new List<ZipCase>
        {
            // 64 MiB of zeros packed into ~64 KB: refused by the ratio once 1 MiB is out, long before 64 MiB is on disk
            new("zip-bomb-one-entry", ZipOfZeros(("bomb.geojson", 64L << 20)), CorpusOutcome.LimitExceeded, "times its packed size"),
            new("zip-bomb-many-entries", ZipOfZeros([.. Enumerable.Range(0, 8).Select(i => ($"part{i}.csv", 16L << 20))]), CorpusOutcome.LimitExceeded,
                "times its packed size"),
            new("zip-too-many-entries", Zip([.. Enumerable.Range(0, 1_001).Select(i => ($"f{i}.txt", new byte[] { 1 }))]), CorpusOutcome.LimitExceeded, "entries"),
            new("zip-slip-parent", Zip(("../evil.geojson", valid["zones.geojson"])), CorpusOutcome.Refused, ".."),
            new("zip-slip-nested-parent", Zip(("a/../../evil.geojson", valid["zones.geojson"])), CorpusOutcome.Refused, ".."),
            new("zip-absolute-path", Zip(("/tmp/evil.geojson", valid["zones.geojson"])), CorpusOutcome.Refused, "absolute"),
            new("zip-drive-letter", Zip(("C:\\evil.geojson", valid["zones.geojson"])), CorpusOutcome.Refused, "absolute"),
            new("zip-broken-random", Noise(5000), CorpusOutcome.Refused, "not a zip"),
            new("zip-truncated", good[..(good.Length / 2)], CorpusOutcome.Refused, "zip"),
            new("zip-empty-file", [], CorpusOutcome.Refused, "not a zip"),
            // headers claiming 100 bytes for 8 MiB: unpacked no further than the claim (then not JSON) or refused, never 8 MiB
            new("zip-lying-entry-size", ZipWithLyingSize(8L << 20, 100), CorpusOutcome.Refused, "small.geojson"),
            // the issue's reproduction: the first 150 bytes of the .shp, zipped with its .shx, .dbf and .prj
            new("zip-truncated-shapefile", Zip([.. shapefile.Select(f => f.n == "zones.shp" ? (f.n, f.Item2[..150]) : f)]), CorpusOutcome.Refused, "truncated"),
        };
        return cases;
    }

    /// <summary>A zip of the given entries (deflated).</summary>
    public static byte[] Zip(params (string Name, byte[] Bytes)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var stream = archive.CreateEntry(name, CompressionLevel.Fastest).Open();
                stream.Write(bytes);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A zip whose entries are runs of zeros of the given sizes (streamed, never held in memory unpacked).</summary>
    public static byte[] ZipOfZeros(params (string Name, long Bytes)[] entries)
    {
        var zeros = new byte[1 << 20];
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var stream = archive.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                for (var left = bytes; left > 0; left -= zeros.Length)
                {
                    stream.Write(zeros, 0, (int)Math.Min(left, zeros.Length));
                }
            }
        }

        return buffer.ToArray();
    }

    /// <summary>One entry of <paramref name="actual"/> zeros whose headers claim <paramref name="claimed"/> bytes unpacked.</summary>
    public static byte[] ZipWithLyingSize(long actual, uint claimed)
    {
        var zip = ZipOfZeros(("small.geojson", actual));
        // local header: signature 0x04034b50, uncompressed size at +22; central directory: 0x02014b50, uncompressed size at +24
        for (var i = 0; i + 4 <= zip.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i));
            if (signature == 0x04034b50)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 22), claimed);
            }
            else if (signature == 0x02014b50)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 24), claimed);
            }
        }

        return zip;
    }

    private static byte[] Noise(int length)
    {
        var bytes = new byte[length];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Patch(byte[] original, Action<byte[]> change)
    {
        var copy = (byte[])original.Clone();
        change(copy);
        return copy;
    }

    private static string Kml(string placemarks) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document>" + placemarks + "</Document></kml>";

    private static FeatureRecord Square(string code, string name, double lon, double lat)
    {
        var geometry = new WKTReader().Read(FormattableString.Invariant(
            $"POLYGON(({lon} {lat}, {lon + 0.05} {lat}, {lon + 0.05} {lat + 0.05}, {lon} {lat + 0.05}, {lon} {lat}))"));
        geometry.SRID = 4326;
        return new FeatureRecord(geometry, new Dictionary<string, object?> { ["code"] = code, ["name"] = name });
    }
}
