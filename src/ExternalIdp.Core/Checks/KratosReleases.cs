using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace ExternalIdp.Core.Checks
{
    /// <summary>
    /// What each Kratos release accepts in a provider entry: the first release of every key, kind
    /// and enum value that came later than v0.10.1 (ory/kratos embedx/config.schema.json at each
    /// tag). The one place that holds these facts, so that they can move into the field table.
    /// </summary>
    public static class KratosReleases
    {
        /// <summary>The releases, oldest first ("v0.10.1 or earlier" for everything not listed below).</summary>
        public static readonly IReadOnlyList<string> All = new[]
        {
            "v0.10.1", "v0.11.1", "v0.13.0", "v1.0.0", "v1.1.0", "v1.2.0", "v1.3.0", "v1.3.1", "v25.4.0", "v26.2.0",
        };

        public static string Oldest => All[0];
        public static string Newest => All[All.Count - 1];

        private static readonly Dictionary<string, string> KeySince = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["organization_id"] = "v1.1.0",
            ["additional_id_token_audiences"] = "v1.1.0",
            ["claims_source"] = "v1.1.0",
            ["pkce"] = "v1.3.0",
            ["fedcm_config_url"] = "v25.4.0",
            ["net_id_token_origin_header"] = "v25.4.0",
            ["account_linking_mode"] = "v26.2.0",
        };

        private static readonly Dictionary<string, string> KindSince = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["dingtalk"] = "v0.11.1",
            ["linkedin"] = "v0.13.0",
            ["patreon"] = "v0.13.0",
            ["lark"] = "v1.0.0",
            ["linkedin_v2"] = "v1.2.0",
            ["x"] = "v1.2.0",
            ["salesforce"] = "v1.3.0",
            ["line"] = "v25.4.0",
            ["amazon"] = "v25.4.0",
            ["fedcm-test"] = "v25.4.0",
            ["uaepass"] = "v26.2.0",
        };

        /// <summary>Enum values that came after their key: (key, value) → first release.</summary>
        private static readonly Dictionary<(string, string), string> ValueSince = new Dictionary<(string, string), string>
        {
            [("subject_source", "oid")] = "v25.4.0",
        };

        /// <summary>The first release that accepts this key (the oldest release for keys as old as v0.10.1).</summary>
        public static string KeyFirstRelease(string key) => KeySince.TryGetValue(key, out var r) ? r : Oldest;

        /// <summary>The first release that accepts this provider kind.</summary>
        public static string KindFirstRelease(string kind) => KindSince.TryGetValue(kind, out var r) ? r : Oldest;

        /// <summary>The first release that accepts this value of the key, or null when the value is as old as its key.</summary>
        public static string ValueFirstRelease(string key, string value)
            => value != null && ValueSince.TryGetValue((key, value), out var r) ? r : null;

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
        /// What a Kratos of this version rejects in an entry: one line per key, kind or value, with its
        /// first release. Empty when it accepts everything in the entry.
        /// </summary>
        public static List<string> Rejected(Version running, string provider, IEnumerable<KeyValuePair<string, object>> entry)
        {
            var rejected = new List<string>();
            if (provider != null)
            {
                var since = KindFirstRelease(provider);
                if (!Accepts(running, since)) rejected.Add($"provider '{provider}' (from {since})");
            }
            foreach (var kv in entry.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var since = KeyFirstRelease(kv.Key);
                if (!Accepts(running, since)) { rejected.Add($"key '{kv.Key}' (from {since})"); continue; }
                var valueSince = ValueFirstRelease(kv.Key, kv.Value as string);
                if (valueSince != null && !Accepts(running, valueSince))
                    rejected.Add($"{kv.Key} '{kv.Value}' (from {valueSince})");
            }
            return rejected;
        }
    }
}
