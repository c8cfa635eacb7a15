using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace ExternalIdp.Core.Checks
{
    /// <summary>
    /// The Kratos releases ExternalIdp knows (ory/kratos embedx/config.schema.json at each tag) and
    /// their numbers. The first release of each key and enum value is a column of the field table, that
    /// of each kind one of the provider catalog; KratosVersionRules says what a release rejects.
    /// </summary>
    public static class KratosReleases
    {
        /// <summary>The releases, oldest first ("v0.10.1 or earlier" for everything as old as the oldest).</summary>
        public static readonly IReadOnlyList<string> All = new[]
        {
            "v0.10.1", "v0.11.1", "v0.13.0", "v1.0.0", "v1.1.0", "v1.2.0", "v1.3.0", "v1.3.1", "v25.4.0", "v26.2.0",
        };

        public static string Oldest => All[0];

        public static string Newest => All[All.Count - 1];

        /// <summary>The first release that accepts this key (the oldest release for keys as old as v0.10.1 and for keys no row knows).</summary>
        public static string KeyFirstRelease(string key) => FieldTable.Default.ByKey(key)?.FirstRelease ?? Oldest;

        /// <summary>The first release that accepts this provider kind.</summary>
        public static string KindFirstRelease(string kind)
            => ProviderCatalog.TryGetExact(kind, out var k) && k.FirstRelease != null ? k.FirstRelease : Oldest;

        /// <summary>The first release that accepts this value of the key, or null when the value is as old as its key.</summary>
        public static string ValueFirstRelease(string key, string value)
            => value != null && FieldTable.Default.ByKey(key) is Field f && f.ValueFirstRelease.TryGetValue(value, out var r) ? r : null;

        private static readonly Regex VersionPattern = new Regex(@"^[vV]?(\d{1,4})(?:\.(\d{1,4}))?(?:\.(\d{1,4}))?(?:[-+][0-9A-Za-z.+-]*)?$", RegexOptions.CultureInvariant);

        /// <summary>
        /// Reads v1.1.0, 1.1, 26.2, v26.2.0, 1.3.0-pre.1 (a pre-release counts as its release);
        /// false for anything else (latest, ${KRATOS_VERSION}, an image digest).
        /// </summary>
        public static bool TryParse(string text, out Version version)
        {
            version = null;
            if (string.IsNullOrWhiteSpace(text)) return false;
            var m = VersionPattern.Match(text.Trim());
            if (!m.Success) return false;
            int Part(int i) => m.Groups[i].Success ? int.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture) : 0;
            version = new Version(Part(1), Part(2), Part(3));
            return true;
        }

        /// <summary>The canonical name of a version (v1.1.0).</summary>
        public static string Name(Version v) => $"v{v.Major}.{v.Minor}.{v.Build}";

        private static Version Parse(string release)
        {
            TryParse(release, out var v);
            return v;
        }

        /// <summary>Whether the given version is at least the release.</summary>
        public static bool Accepts(Version running, string firstRelease) => running >= Parse(firstRelease);

        /// <summary>Whether the version is older than every release these facts cover.</summary>
        public static bool OlderThanKnown(Version v) => v < Parse(Oldest);

        /// <summary>
        /// Whether the version is a release after the newest these facts cover (a later major or minor:
        /// a patch of the newest release accepts what it does), whose keys ExternalIdp can't know.
        /// </summary>
        public static bool NewerThanKnown(Version v)
        {
            var newest = Parse(Newest);
            return new Version(v.Major, v.Minor) > new Version(newest.Major, newest.Minor);
        }
    }
}
