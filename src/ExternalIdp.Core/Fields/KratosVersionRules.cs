using System;
using System.Collections.Generic;
using System.Linq;
using ExternalIdp.Core.Checks;

namespace ExternalIdp.Core
{
    /// <summary>
    /// The Kratos release of a target, and where it was learnt: -KratosVersion, else what the target
    /// records (a config file's version: key, the kratos application's workload version on Juju), else
    /// the newest release ExternalIdp knows.
    /// </summary>
    public sealed class KratosRelease
    {
        private KratosRelease(Version version, string source, bool declared, string declaredElsewhere)
        {
            Version = version;
            Source = source;
            Declared = declared;
            DeclaredElsewhere = declaredElsewhere;
        }

        public Version Version { get; }

        /// <summary>The release as Kratos names it (v1.1.0).</summary>
        public string Name => KratosReleases.Name(Version);

        /// <summary>Where the release comes from, for messages ("-KratosVersion", "the config file's version: key", ...).</summary>
        public string Source { get; }

        /// <summary>False when nothing said which release runs and the newest ExternalIdp knows is assumed.</summary>
        public bool Declared { get; }

        /// <summary>Where else than -KratosVersion the target records its release ("the config file's top-level version: key"), or null.</summary>
        public string DeclaredElsewhere { get; }

        /// <summary>Whether ExternalIdp knows what this release accepts: it is not newer than the newest release it knows.</summary>
        public bool Known => !KratosReleases.NewerThanKnown(Version);

        public const string ParameterSource = "-KratosVersion";

        /// <summary>
        /// -KratosVersion: null when not given; KratosIdpInvalidConfiguration for text that is no release number.
        /// </summary>
        public static KratosRelease Given(string text, string declaredElsewhere = null)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (!KratosReleases.TryParse(text, out var v))
                throw new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidArgument,
                    $"-KratosVersion '{IdpRules.Printable(text)}' is not a Kratos release number: give the release Kratos runs, such as v1.1.0, 1.1 or 26.2 (kratos version prints it; tab completion lists the releases ExternalIdp knows).", text);
            return new KratosRelease(v, ParameterSource, true, declaredElsewhere);
        }

        /// <summary>What a target records (text read from it, where it was read), or null when the text is no release number.</summary>
        public static KratosRelease Recorded(string text, string source, string declaredElsewhere = null)
            => KratosReleases.TryParse(text, out var v) ? new KratosRelease(v, source, true, declaredElsewhere) : null;

        /// <summary>The newest release ExternalIdp knows, assumed because the target doesn't say (why: the reason).</summary>
        public static KratosRelease Newest(string why, string declaredElsewhere = null)
        {
            KratosReleases.TryParse(KratosReleases.Newest, out var v);
            return new KratosRelease(v, $"assumed, the newest release ExternalIdp knows: {why}", false, declaredElsewhere);
        }

        /// <summary>
        /// -KratosVersion (given, checked), else the recorded text when it is a release number, else the
        /// newest release. noRecordReason: why the target records none, when recorded is null.
        /// </summary>
        public static KratosRelease Resolve(string given, string recorded, string recordedSource, string noRecordReason, string declaredElsewhere = null)
        {
            var r = Given(given, declaredElsewhere);
            if (r != null) return r;
            if (!string.IsNullOrWhiteSpace(recorded))
                return Recorded(recorded, recordedSource, declaredElsewhere)
                    ?? Newest($"{recordedSource} is '{IdpRules.Printable(recorded)}', which is not a release number", declaredElsewhere);
            return Newest(noRecordReason, declaredElsewhere);
        }

        /// <summary>"v1.1.0 (the config file's version: key)".</summary>
        public override string ToString() => $"{Name} ({Source})";
    }

    /// <summary>
    /// What a Kratos release accepts in a provider entry, the one rule Add, Set, Get, Test-KratosIdp and
    /// Sync apply: a provider kind, key or enum value that came in a later release is rejected, and with
    /// it Kratos's whole config (every entry has additionalProperties: false). The first releases are
    /// columns of the field table and of the provider catalog (KratosReleases reads them).
    /// </summary>
    public static class KratosVersionRules
    {
        /// <summary>One kind, key or value a release rejects.</summary>
        public sealed class Rejection
        {
            internal Rejection(string key, string value, Field field, string firstRelease)
            {
                Key = key;
                Value = value;
                Field = field;
                FirstRelease = firstRelease;
            }

            /// <summary>The Kratos key ("provider" for a kind).</summary>
            public string Key { get; }
            /// <summary>The kind, or the enum value, that is rejected; null when the key itself is.</summary>
            public string Value { get; }
            public Field Field { get; }
            /// <summary>The first release that accepts it.</summary>
            public string FirstRelease { get; }

            public bool IsKind => Key == FieldTable.Provider.Key;

            /// <summary>"key 'pkce' (from v1.3.0)", "provider 'salesforce' (from v1.3.0)", "subject_source 'oid' (from v25.4.0)".</summary>
            public override string ToString()
                => IsKind ? $"provider '{Value}' (from {FirstRelease})"
                 : Value == null ? $"key '{Key}' (from {FirstRelease})"
                 : $"{Key} '{Value}' (from {FirstRelease})";

            /// <summary>What the user gave for it: "-Pkce", "-SubjectSource oid", "-Provider salesforce" (the key for a row without a parameter).</summary>
            public string Given => Value == null ? Field.Flag : $"{Field.Flag} {Value}";
        }

        /// <summary>
        /// What a Kratos of this version rejects in an entry (its "provider" key is the kind), the kind first,
        /// then the keys in the entry's order. Keys no row knows are not judged here (IdpProblems does,
        /// for releases ExternalIdp knows). Keys without a value are judged like keys with one.
        /// </summary>
        public static IReadOnlyList<Rejection> Rejected(Version running, ProviderEntry entry, FieldTable table = null)
        {
            table = table ?? FieldTable.Default;
            var rejected = new List<Rejection>();
            var kind = entry.Text(FieldTable.Provider.Key);
            if (kind != null && ProviderCatalog.TryGetExact(kind, out var k) && k.FirstRelease != null && !KratosReleases.Accepts(running, k.FirstRelease))
                rejected.Add(new Rejection(FieldTable.Provider.Key, kind, FieldTable.Provider, k.FirstRelease));
            foreach (var kv in entry)
            {
                var f = table.ByKey(kv.Key);
                if (f == null || f == FieldTable.Provider) continue;
                if (f.FirstRelease != null && !KratosReleases.Accepts(running, f.FirstRelease))
                {
                    rejected.Add(new Rejection(kv.Key, null, f, f.FirstRelease));
                    continue;
                }
                var value = kv.Value?.Kind == SettingKind.Text ? kv.Value.Text : null;
                if (value != null && f.ValueFirstRelease.TryGetValue(value, out var since) && !KratosReleases.Accepts(running, since))
                    rejected.Add(new Rejection(kv.Key, value, f, since));
            }
            return rejected;
        }

        /// <summary>The first release that accepts everything in the entry (the oldest release ExternalIdp knows when nothing in it came later).</summary>
        public static string NeededRelease(ProviderEntry entry, FieldTable table = null)
        {
            var rejected = Rejected(new Version(0, 0, 0), entry, table);
            return rejected.Count == 0 ? KratosReleases.Oldest : Newest(rejected);
        }

        /// <summary>Whether some release ExternalIdp knows rejects something in the entry (only then does the release matter).</summary>
        public static bool DependsOnRelease(ProviderEntry entry, FieldTable table = null) => Rejected(new Version(0, 0, 0), entry, table).Count > 0;

        /// <summary>The keys a request writes: the kind when one is given, and every value that is not a removal.</summary>
        public static ProviderEntry Written(IdpRequest r)
        {
            var e = new ProviderEntry();
            if (r.Kind != null) e[FieldTable.Provider] = SettingValue.Of(r.Kind.Name);
            foreach (var kv in r.Values)
                if (!IdpRules.Clears(kv.Value)) e[kv.Key] = kv.Value;
            return e;
        }

        /// <summary>
        /// KratosIdpNotSupportedByVersion when the release rejects something the entry writes, else null.
        /// targetDescription: the target, as messages name it; fix: what to do instead (default: leave out
        /// the parameters that gave it).
        /// </summary>
        public static ExternalIdpException Refusal(KratosRelease release, ProviderEntry written, string targetDescription, object target = null, string fix = null, FieldTable table = null)
        {
            if (release == null) return null;
            var rejected = Rejected(release.Version, written, table);
            if (rejected.Count == 0) return null;
            if (fix == null)
            {
                var parts = new List<string>();
                var given = rejected.Where(r => !r.IsKind).Select(r => r.Given).ToList();
                if (given.Count > 0) parts.Add("leave out " + string.Join(" and ", given));
                if (rejected.Any(r => r.IsKind)) parts.Add("choose another -Provider");
                fix = string.Join(" or ", parts);
            }
            var needed = Newest(rejected);
            var declare = release.DeclaredElsewhere == null ? "-KratosVersion" : $"-KratosVersion (or {release.DeclaredElsewhere})";
            var message = $"{targetDescription} runs Kratos {release.Name} ({release.Source}), which does not accept {string.Join(", ", rejected)}: " +
                "one key or kind a release doesn't know makes Kratos refuse its whole config. Nothing was changed. " +
                $"{Capitalize(fix)}, or upgrade Kratos to {needed} or later; if it already runs a newer release than {release.Name}, say which with {declare}.";
            return new ExternalIdpException(ErrorIds.NotSupportedByVersion, ErrorKind.InvalidArgument, message, target);
        }

        /// <summary>Throws KratosIdpNotSupportedByVersion when the release rejects something in what the request writes.</summary>
        public static void Require(KratosRelease release, IdpRequest request, string targetDescription, object target)
        {
            var e = Refusal(release, Written(request), targetDescription, target, table: request.Table);
            if (e != null) throw e;
        }

        /// <summary>Get's Problems for what the release rejects in an entry: "Kratos v1.2.0 (source) does not accept key 'pkce' (from v1.3.0)".</summary>
        public static List<string> Problems(KratosRelease release, ProviderEntry entry, FieldTable table = null)
            => release == null ? new List<string>()
             : Rejected(release.Version, entry, table).Select(r => $"Kratos {release.Name} ({release.Source}) does not accept {r}").ToList();

        private static string Newest(IEnumerable<Rejection> rejected)
            => rejected.Select(r => r.FirstRelease).OrderByDescending(r => { KratosReleases.TryParse(r, out var v); return v; }).First();

        private static string Capitalize(string s) => string.IsNullOrEmpty(s) ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);
    }
}
