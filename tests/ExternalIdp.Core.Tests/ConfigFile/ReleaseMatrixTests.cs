using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ExternalIdp.Core;
using ExternalIdp.Core.ConfigFile;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;
using static ExternalIdp.Core.Tests.ConfigFile.TestSupport;

namespace ExternalIdp.Core.Tests.ConfigFile
{
    /// <summary>
    /// Releases × kinds × keys, through the config-file target with the release declared by the file's
    /// version: key, judged by each release's own schema (fixtures/kratos-oidc-schemas/&lt;tag&gt;.json), not
    /// by the module's tables: every kind, key and value the schema accepts is written by Add and Set and the
    /// written entry validates against that schema; everything it rejects is refused with
    /// KratosIdpNotSupportedByVersion and the file is left as it was.
    /// </summary>
    public class ReleaseMatrixTests
    {
        private readonly ITestOutputHelper _out;
        public ReleaseMatrixTests(ITestOutputHelper output) { _out = output; }

        private static readonly OperationOptions Opt = new OperationOptions();

        public static IEnumerable<object[]> Releases() => KratosSchema.Releases.Select(r => new object[] { r });

        [Fact]
        public void Every_release_with_a_schema_is_in_the_matrix()
        {
            Assert.Equal(new[] { "v0.11.1", "v0.13.0", "v1.0.0", "v1.1.0", "v1.2.0", "v1.3.0", "v25.4.0", "v26.2.0" }, KratosSchema.Releases);
        }

        /// <summary>The settings a user may give beyond what a kind requires, with each value, for this kind.</summary>
        private static IEnumerable<(Field Field, SettingValue Value)> Optional(ProviderKind kind)
            => FieldTable.Default.WithParameter
                .Where(f => !ProviderCatalog.KindSpecificFields.Contains(f) || kind.Takes(f))
                .SelectMany(f => Samples.ValuesOf(f).Select(v => (f, v)));

        private static string Id(ProviderKind kind) => "idp-" + kind.Name;

        [Theory]
        [MemberData(nameof(Releases))]
        public void A_release_gets_every_kind_key_and_value_its_schema_accepts_and_nothing_else(string release)
        {
            var schema = KratosSchema.Of(release);
            var path = TempFile("kratos.yml", $"version: {release}\n" +
                "serve:\n  public:\n    base_url: https://auth.example.com/\n" +
                "selfservice:\n  methods:\n    oidc:\n      enabled: true\n      config:\n        providers: []\n");
            var t = new ConfigFileTarget(path, null);
            int written = 0, refused = 0;

            void Refused(Func<object> change, string expectedItem, string what)
            {
                var before = File.ReadAllText(path);
                var e = Assert.Throws<ExternalIdpException>(() => change());
                Assert.True(e.ErrorId == ErrorIds.NotSupportedByVersion, $"{release}, {what}: {e.ErrorId}: {e.Message}");
                Assert.Contains($"runs Kratos {release} (the config file's version: key), which does not accept {expectedItem}", e.Message);
                Assert.Contains("-KratosVersion (or the config file's top-level version: key)", e.Message);
                Assert.Equal(before, File.ReadAllText(path));
                refused++;
            }

            void Valid(string id, string what)
            {
                var entry = KratosSchema.EntryOf(path, id);
                Assert.True(entry != null, $"{release}, {what}: no entry '{id}'");
                var errors = KratosSchema.Errors(entry, release);
                Assert.True(errors.Count == 0, $"{release}, {what}: {string.Join("; ", errors)}\n{entry}");
            }

            foreach (var kind in ProviderCatalog.All)
            {
                var id = Id(kind);
                if (!schema.AcceptsKind(kind.Name))
                {
                    Refused(() => t.Add(null, Samples.Required(kind, id), Opt, SilentHost.Instance), $"provider '{kind.Name}' (from ", $"Add {kind.Name}");
                    continue;
                }
                // Add: the kind with every optional setting the release accepts (an enum: its last accepted value).
                var all = Samples.Required(kind, id);
                foreach (var group in Optional(kind).GroupBy(o => o.Field))
                {
                    var accepted = group.Where(o => schema.Accepts(o.Field.Key, o.Value)).ToList();
                    if (accepted.Count > 0) all[group.Key] = accepted.Last().Value;
                }
                var added = t.Add(null, all, Opt, SilentHost.Instance);
                Assert.True(added.Status == "Valid", $"{release}, Add {kind.Name}: {string.Join("; ", added.Problems)}");
                Assert.Equal(release, added.KratosVersion);
                Valid(id, $"Add {kind.Name}");
                written++;

                // What the release rejects, one at a time: refused by Add (another id) and by Set.
                foreach (var (f, v) in Optional(kind).Where(o => !schema.Accepts(o.Field.Key, o.Value)))
                {
                    var item = schema.HasKey(f.Key) ? $"{f.Key} '{v.Text}' (from " : $"key '{f.Key}' (from ";
                    var add = Samples.Required(kind, id + "-2");
                    add[f] = v;
                    Refused(() => t.Add(null, add, Opt, SilentHost.Instance), item, $"Add {kind.Name} with {f.Flag}");
                    Refused(() => t.Set(id, new IdpSettings { [f] = v }, Opt, SilentHost.Instance), item, $"Set {kind.Name} {f.Flag}");
                }
            }

            // Set: each value the release accepts, one at a time, on an entry of a kind that takes it.
            foreach (var kind in new[] { ProviderCatalog.Resolve("generic"), ProviderCatalog.Resolve("microsoft") })
            {
                foreach (var (f, v) in Optional(kind).Where(o => schema.Accepts(o.Field.Key, o.Value)))
                {
                    if (kind.Name == "generic" && ProviderCatalog.KindSpecificFields.Contains(f)) continue;
                    if (kind.Name == "microsoft" && !ProviderCatalog.KindSpecificFields.Contains(f)) continue;
                    var idp = t.Set(Id(kind), new IdpSettings { [f] = v }, Opt, SilentHost.Instance);
                    Assert.True(idp.Status == "Valid", $"{release}, Set {f.Flag}: {string.Join("; ", idp.Problems)}");
                    var entry = KratosSchema.EntryOf(path, Id(kind));
                    Assert.True(entry[f.Key] != null, $"{release}, Set {f.Flag}: not written");
                    Valid(Id(kind), $"Set {kind.Name} {f.Flag} {v}");
                    written++;
                }
            }

            // Get: every entry valid for the release it declares.
            var idps = t.GetIdps(SilentHost.Instance);
            Assert.All(idps, i => Assert.True(i.Status == "Valid" && i.KratosVersion == release, $"{i.Name}: {i.KratosVersion}: {string.Join("; ", i.Problems)}"));
            Assert.All(KratosSchema.EntriesOf(path), e => Assert.Empty(KratosSchema.Errors(e, release)));
            _out.WriteLine($"{release}: {idps.Count} kinds written, {written} writes validated, {refused} refusals");
            Assert.True(written >= idps.Count);
        }

        [Fact]
        public void A_release_newer_than_the_file_says_is_given_with_KratosVersion()
        {
            var path = TempFile("kratos.yml", "version: v1.2.0\nselfservice:\n  methods:\n    oidc:\n      config:\n        providers: []\n");
            var t = new ConfigFileTarget(path, null);
            var s = Google();
            s.Pkce = "force";
            var e = Assert.Throws<ExternalIdpException>(() => t.Add(null, s, Opt, SilentHost.Instance));
            Assert.Equal(ErrorIds.NotSupportedByVersion, e.ErrorId);
            Assert.Equal($"{path} runs Kratos v1.2.0 (the config file's version: key), which does not accept key 'pkce' (from v1.3.0): one key or kind a release doesn't know makes Kratos refuse its whole config. Nothing was changed. " +
                "Leave out -Pkce, or upgrade Kratos to v1.3.0 or later; if it already runs a newer release than v1.2.0, say which with -KratosVersion (or the config file's top-level version: key).", e.Message);
            var idp = t.Add(null, s, new OperationOptions { KratosVersion = "1.3" }, SilentHost.Instance);
            Assert.Equal("v1.3.0", idp.KratosVersion);
            Assert.Equal("-KratosVersion", idp.KratosVersionSource);
            // Get, by the file's word, says Kratos v1.2.0 would refuse it; by -KratosVersion, that it is fine.
            var got = Assert.Single(t.GetIdps(SilentHost.Instance));
            Assert.Equal("Invalid", got.Status);
            Assert.Equal(new[] { "Kratos v1.2.0 (the config file's version: key) does not accept key 'pkce' (from v1.3.0)" }, got.Problems);
            Assert.Equal("Valid", Assert.Single(t.GetIdps(SilentHost.Instance, new OperationOptions { KratosVersion = "v1.3.1" })).Status);
        }
    }
}
