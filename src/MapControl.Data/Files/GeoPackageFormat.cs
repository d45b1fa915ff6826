using System.Globalization;
using MapControl.Core.Crs;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace MapControl.Data.Files;

/// <summary>OGC GeoPackage: the layer's CRS from gpkg_geometry_columns / gpkg_spatial_ref_sys (the NTS blob reader returns SRID −1).</summary>
internal static class GeoPackageFormat
{
    public const string Name = "GeoPackage";

    private const int ApplicationId = 0x47504B47; // "GPKG"
    private const int UserVersion = 10300; // GeoPackage 1.3

    public static FeatureSet Read(string path, FeatureReadOptions options)
    {
        using var connection = Open(path, SqliteOpenMode.ReadOnly);
        var layers = Query(connection, "SELECT table_name, column_name, srs_id FROM gpkg_geometry_columns ORDER BY table_name", [],
                r => (Table: r.GetString(0), Column: r.GetString(1), SrsId: r.GetInt32(2)), path,
                "not a GeoPackage with features (no gpkg_geometry_columns table)");
        if (layers.Count == 0)
        {
            throw FeatureFileException.For(path, "the GeoPackage has no feature layer");
        }

        var layer = options.Layer is null
            ? layers.Count == 1
                ? layers[0]
                : throw FeatureFileException.For(path, $"the GeoPackage has {layers.Count} layers ({string.Join(", ", layers.Select(l => l.Table))}); choose one")
            : layers.FirstOrDefault(l => string.Equals(l.Table, options.Layer, StringComparison.OrdinalIgnoreCase)) is { Table: not null } found
                ? found
                : throw FeatureFileException.For(path, $"no layer \"{options.Layer}\" (layers: {string.Join(", ", layers.Select(l => l.Table))})");

        var kind = Query(connection, "SELECT type FROM sqlite_master WHERE name = $t", [("$t", layer.Table)], r => r.GetString(0), path,
            "cannot read the schema");
        if (kind.Count == 0 || kind[0] != "table")
        {
            throw FeatureFileException.For(path, $"layer \"{layer.Table}\" is {(kind.Count == 0 ? "missing" : "a " + kind[0])}, not a table");
        }

        var notes = new List<string>();
        var source = ResolveCrs(connection, layer.SrsId, path, options, notes);
        var builder = new FeatureSetBuilder(path, Name, source, options);
        notes.ForEach(builder.Note);

        var columns = Query(connection, $"SELECT name, type, pk FROM pragma_table_info({Literal(layer.Table)})", [],
            r => (Name: r.GetString(0), Type: r.GetString(1), IsKey: r.GetInt32(2) > 0), path, "cannot read the layer's columns");
        var geometryReader = new GeoPackageGeoReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {Identifier(layer.Table)}";
        using var reader = command.ExecuteReader();
        var row = 0;
        while (reader.Read())
        {
            row++;
            var where = $"feature {row}";
            Geometry? geometry = null;
            var properties = new Dictionary<string, object?>();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var name = reader.GetName(i);
                var column = columns.FirstOrDefault(c => c.Name == name);
                if (string.Equals(name, layer.Column, StringComparison.OrdinalIgnoreCase))
                {
                    if (!reader.IsDBNull(i))
                    {
                        if (reader.GetValue(i) is not byte[] blob)
                        {
                            throw FeatureFileException.For(path, $"{where}: the geometry is not a blob");
                        }

                        if (GeoPackageBlobCheck.Problem(blob, options.Limits, out var overLimit) is { } problem)
                        {
                            throw overLimit
                                ? FeatureFileException.Limit(path, $"{where}: {problem}")
                                : FeatureFileException.For(path, $"{where}: unreadable geometry blob ({problem})");
                        }

                        try
                        {
                            geometry = geometryReader.Read(blob);
                        }
                        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or ParseException or InvalidCastException)
                        {
                            throw FeatureFileException.For(path, $"{where}: unreadable geometry blob ({ex.Message})", ex);
                        }
                    }
                }
                else if (!column.IsKey)
                {
                    properties[name] = Value(reader, i, column.Type);
                }
            }

            builder.Add(geometry, properties, where);
        }

        return builder.Build();
    }

    public static void Write(string path, IReadOnlyList<FeatureRecord> features, string layer, int targetSrid)
    {
        if (layer.Length == 0 || !layer.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(layer[0]))
        {
            throw FeatureFileException.For(path, $"layer name \"{layer}\" must be letters, digits and _");
        }

        var target = CrsRegistry.Get(targetSrid);
        var geometries = features.Select(f =>
        {
            var source = f.Geometry.SRID > 0 ? f.Geometry.SRID : CrsRegistry.Wgs84;
            var g = source == targetSrid ? f.Geometry.Copy() : CrsTransformer.Create(source, targetSrid).Transform(f.Geometry);
            g.SRID = targetSrid;
            return g;
        }).ToList();
        var columns = ColumnsOf(features);
        var typeNames = geometries.Select(g => g.GeometryType.ToUpperInvariant()).Distinct().ToList();
        var geometryType = typeNames.Count == 1 ? typeNames[0] : "GEOMETRY";
        var extent = new Envelope();
        geometries.ForEach(g => extent.ExpandToInclude(g.EnvelopeInternal));

        if (File.Exists(path))
        {
            File.Delete(path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var connection = Open(path, SqliteOpenMode.ReadWriteCreate);
        using var transaction = connection.BeginTransaction();
        Execute(connection, $"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {UserVersion};");
        Execute(connection, """
            CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
              organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
            CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
              description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
              min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
              CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
            CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
              srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
              CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
              CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
              CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
            INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
            INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
            """);
        foreach (var srid in new[] { CrsRegistry.Wgs84, targetSrid }.Distinct())
        {
            var crs = CrsRegistry.Get(srid);
            Execute(connection, "INSERT INTO gpkg_spatial_ref_sys VALUES ($name, $id, 'EPSG', $id, $definition, NULL)",
                ("$name", crs.Name), ("$id", srid), ("$definition", CrsRegistry.GetWkt(srid)));
        }

        var columnSql = string.Concat(columns.Select(c => $", {Identifier(c.Column)} {c.SqlType}"));
        Execute(connection, $"CREATE TABLE {Identifier(layer)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {geometryType}{columnSql})");
        Execute(connection, "INSERT INTO gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id) VALUES ($t, 'features', $t, $minx, $miny, $maxx, $maxy, $srid)",
            ("$t", layer), ("$minx", extent.IsNull ? null : extent.MinX), ("$miny", extent.IsNull ? null : extent.MinY),
            ("$maxx", extent.IsNull ? null : extent.MaxX), ("$maxy", extent.IsNull ? null : extent.MaxY), ("$srid", targetSrid));
        Execute(connection, "INSERT INTO gpkg_geometry_columns VALUES ($t, 'geom', $type, $srid, 0, 0)",
            ("$t", layer), ("$type", geometryType), ("$srid", targetSrid));

        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = $"INSERT INTO {Identifier(layer)} (geom{string.Concat(columns.Select(c => ", " + Identifier(c.Column)))}) VALUES ($geom{string.Concat(columns.Select((_, i) => $", $p{i}"))})";
            var geometryWriter = new GeoPackageGeoWriter { HandleOrdinates = Ordinates.XY };
            for (var f = 0; f < features.Count; f++)
            {
                insert.Parameters.Clear();
                insert.Parameters.AddWithValue("$geom", geometryWriter.Write(geometries[f]));
                for (var i = 0; i < columns.Count; i++)
                {
                    features[f].Properties.TryGetValue(columns[i].Property, out var value);
                    insert.Parameters.AddWithValue($"$p{i}", columns[i].ToSql(value));
                }

                insert.ExecuteNonQuery();
            }
        }

        transaction.Commit();
    }

    /// <summary>Longest string or blob SQLite may build while reading a file (a generated column or view could ask for a gigabyte).</summary>
    private const int MaxValueBytes = 32 * 1024 * 1024;

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        if (mode == SqliteOpenMode.ReadOnly)
        {
            SQLitePCL.raw.sqlite3_limit(connection.Handle, SQLitePCL.raw.SQLITE_LIMIT_LENGTH, MaxValueBytes);
            Execute(connection, "PRAGMA trusted_schema = OFF");
        }

        return connection;
    }

    private static SpatialReference ResolveCrs(SqliteConnection connection, int srsId, string path, FeatureReadOptions options, List<string> notes)
    {
        if (srsId is 0 or -1)
        {
            if (options.AssumeSrid is { } assumed)
            {
                notes.Add($"undefined srs_id {srsId}: assumed EPSG:{assumed} as asked");
                return CrsRegistry.Get(assumed);
            }

            if (srsId == 0)
            {
                notes.Add("undefined geographic srs_id 0: assumed EPSG:4326");
                return CrsRegistry.Get(CrsRegistry.Wgs84);
            }

            throw FeatureFileException.For(path, "the layer's CRS is undefined (srs_id −1); give the EPSG code");
        }

        var rows = Query(connection, "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = $id",
            [("$id", srsId)], r => (Organization: r.GetString(0), Code: r.GetInt32(1), Definition: r.GetString(2)), path,
            "no gpkg_spatial_ref_sys table");
        if (rows.Count == 0)
        {
            throw FeatureFileException.For(path, $"srs_id {srsId} is not in gpkg_spatial_ref_sys");
        }

        var (organization, code, definition) = rows[0];
        if (string.Equals(organization, "EPSG", StringComparison.OrdinalIgnoreCase) && CrsRegistry.TryGet(code, out var registered))
        {
            return registered;
        }

        try
        {
            return CrsRecognizer.FromPrj(definition);
        }
        catch (UnknownCrsException ex)
        {
            throw FeatureFileException.For(path, $"srs_id {srsId} ({organization}:{code}): {ex.Message}", ex);
        }
    }

    private static object? Value(SqliteDataReader reader, int ordinal, string declaredType)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        var value = reader.GetValue(ordinal);
        return declaredType.ToUpperInvariant() switch
        {
            "BOOLEAN" when value is long flag => flag != 0,
            _ => value,
        };
    }

    private static List<T> Query<T>(SqliteConnection connection, string sql, (string Name, object? Value)[] parameters,
        Func<SqliteDataReader, T> map, string path, string whenMissing)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            using var reader = command.ExecuteReader();
            var result = new List<T>();
            while (reader.Read())
            {
                result.Add(map(reader));
            }

            return result;
        }
        catch (SqliteException ex)
        {
            throw FeatureFileException.For(path, $"{whenMissing} ({ex.Message})", ex);
        }
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        command.ExecuteNonQuery();
    }

    /// <summary>An SQL identifier from GeoPackage metadata or a checked name, double-quoted.</summary>
    private static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static List<ColumnPlan> ColumnsOf(IReadOnlyList<FeatureRecord> features)
    {
        var names = new List<string>();
        foreach (var feature in features)
        {
            foreach (var name in feature.Properties.Keys.Where(n => !names.Contains(n)))
            {
                names.Add(name);
            }
        }

        var used = new HashSet<string>(["fid", "geom"], StringComparer.OrdinalIgnoreCase);
        var plans = new List<ColumnPlan>();
        foreach (var name in names)
        {
            var column = name;
            for (var n = 1; !used.Add(column); n++)
            {
                column = $"{name}_{n}";
            }

            var values = features.Select(f => f.Properties.GetValueOrDefault(name)).Where(v => v is not null and not DBNull).ToList();
            var sqlType = values.Count == 0 ? "TEXT"
                : values.All(v => v is bool) ? "BOOLEAN"
                : values.All(v => v is byte or sbyte or short or ushort or int or uint or long) ? "INTEGER"
                : values.All(v => v is byte or sbyte or short or ushort or int or uint or long or float or double or decimal) ? "REAL"
                : values.All(v => v is DateTime or DateTimeOffset) ? "DATETIME"
                : "TEXT";
            plans.Add(new ColumnPlan(name, column, sqlType));
        }

        return plans;
    }

    private sealed record ColumnPlan(string Property, string Column, string SqlType)
    {
        public object ToSql(object? value) => value switch
        {
            null or DBNull => DBNull.Value,
            bool flag => flag ? 1L : 0L,
            DateTime time => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            DateTimeOffset offset => offset.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            _ when SqlType == "TEXT" => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
            _ => value,
        };
    }
}
