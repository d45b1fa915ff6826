namespace MapControl.Web.Ogc;

/// <summary>OGC API – Features vocabulary: paths, parameter names, link relations, media types and conformance classes.</summary>
internal static class OgcNames
{
    /// <summary>Root of the OGC API.</summary>
    public const string Root = "/ogc";
    /// <summary>Conformance path.</summary>
    public const string Conformance = "/conformance";
    /// <summary>OpenAPI document path.</summary>
    public const string Api = "/api";
    /// <summary>Collections path.</summary>
    public const string Collections = "/collections";
    /// <summary>Items path segment.</summary>
    public const string Items = "items";

    /// <summary>Query parameter names.</summary>
    public static class Params
    {
        public const string Bbox = "bbox";
        public const string BboxCrs = "bbox-crs";
        public const string Datetime = "datetime";
        public const string Limit = "limit";
        public const string Offset = "offset";
        public const string Format = "f";
        public const string Crs = "crs";
    }

    /// <summary>Link relations.</summary>
    public static class Rel
    {
        public const string Self = "self";
        public const string Alternate = "alternate";
        public const string ServiceDesc = "service-desc";
        public const string ServiceDoc = "service-doc";
        public const string Conformance = "conformance";
        public const string Data = "data";
        public const string Items = "items";
        public const string Next = "next";
        public const string Prev = "prev";
        public const string Collection = "collection";
    }

    /// <summary>Media types.</summary>
    public static class Media
    {
        public const string Json = "application/json";
        public const string GeoJson = "application/geo+json";
        public const string Html = "text/html";
        public const string OpenApi = "application/vnd.oai.openapi+json;version=3.0";
    }

    /// <summary>Values of the f parameter.</summary>
    public static class Formats
    {
        public const string Json = "json";
        public const string Html = "html";
    }

    /// <summary>The CRS of every response (lon/lat WGS84).</summary>
    public const string Crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

    /// <summary>Conformance classes implemented.</summary>
    public static readonly string[] ConformanceClasses =
    [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    ];

    /// <summary>Default page size.</summary>
    public const int DefaultLimit = 10;
    /// <summary>Largest page size; larger requests are clamped to it.</summary>
    public const int MaxLimit = 10_000;
}
