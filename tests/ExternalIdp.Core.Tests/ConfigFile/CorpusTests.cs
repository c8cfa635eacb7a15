using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ExternalIdp.Core;
using ExternalIdp.Core.Checks;
using ExternalIdp.Core.ConfigFile;
using Newtonsoft.Json;
using Xunit;
using static ExternalIdp.Core.Tests.ConfigFile.TestSupport;

namespace ExternalIdp.Core.Tests.ConfigFile
{
    /// <summary>Add, Set and Remove on a copy of every real-world Kratos config in the reference corpus.</summary>
    public class CorpusTests
    {
        public static IEnumerable<object[]> CorpusFiles()
            => Directory.GetFiles(Corpus)
                .Where(f => !f.EndsWith(".md", StringComparison.Ordinal) && !f.EndsWith(".j2", StringComparison.Ordinal))
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => new object[] { Path.GetFileName(f) });

        [Fact]
        public void Corpus_is_there()
        {
            Assert.True(CorpusFiles().Count() >= 19, "expected the reference corpus of Kratos configs");
        }

        private static readonly Regex ScaffoldLine = new Regex(@"^\s*(""?(enabled|providers|config|oidc|methods|selfservice)""?\s*:.*|\s*)$|^\s*[\]}],?\s*$|^\s*""?(enabled|base_redirect_uri)""?\s*:.*$");

        [Theory]
        [MemberData(nameof(CorpusFiles))]
        public void Add_set_remove_keep_everything_else_byte_identical(string name)
        {
            var path = TempCopy(Path.Combine(Corpus, name));
            var root = RootFor(path);
            var original = File.ReadAllText(path);
            var target = new ConfigFileTarget(path, root);
            var host = new RecordingHost();
            var before = target.GetIdps(host);
            var added = new List<string>();

            string fileRelease = null; // the release the file declares, as the first Add says it checked against
            foreach (var settings in new[] { Google(), Entra(), Apple(), Generic() })
            {
                var text = File.ReadAllText(path);
                if (settings.Pkce != null && KratosReleases.TryParse(fileRelease, out var release) && !KratosReleases.Accepts(release, "v1.3.0"))
                {
                    // The file says its Kratos is older than pkce: refused, and the file left alone; then without it.
                    var refused = Assert.Throws<ExternalIdpException>(() => target.Add(null, settings, new OperationOptions(), host));
                    Assert.Equal(ErrorIds.NotSupportedByVersion, refused.ErrorId);
                    Assert.Equal(text, File.ReadAllText(path));
                    settings.Pkce = null;
                }
                var idp = target.Add(null, settings, new OperationOptions(), host);
                Assert.NotNull(idp);
                fileRelease = idp.KratosVersion;
                Assert.Equal(settings.ProviderId, idp.Name);
                Assert.Equal(settings.Provider, idp.Provider);
                Assert.True(idp.Enabled, "Add switches the OIDC method on");
                Assert.True(idp.Status == "Valid", string.Join("; ", idp.Problems));
                added.Add(idp.Name);
                AfterStep(path, root, text, added, changedId: null, kind: "add");
            }
            Assert.Equal(before.Count + 4, target.GetIdps(host).Count);

            // Set: label, scope, client id, then a kind change.
            var steps = new (string Id, IdpSettings Change)[]
            {
                ("test-google", new IdpSettings { Label = "Google Workspace" }),
                ("test-google", new IdpSettings { Scope = new[] { "openid", "email" } }),
                ("test-entra", new IdpSettings { ClientId = "new-client-id" }),
                ("test-apple", new IdpSettings { Label = "" }),
                ("test-google", new IdpSettings { Provider = "generic", IssuerUrl = "https://accounts.google.com" }),
            };
            foreach (var (id, change) in steps)
            {
                var text = File.ReadAllText(path);
                var idp = target.Set(id, change, new OperationOptions(), host);
                Assert.True(idp.Status == "Valid", string.Join("; ", idp.Problems));
                if (change.Label != null) Assert.Equal(change.Label == "" ? null : change.Label, idp.Label);
                if (change.Scope != null) Assert.Equal(change.Scope, idp.Scope);
                if (change.ClientId != null) Assert.Equal(change.ClientId, idp.ClientId);
                if (change.Provider != null) { Assert.Equal(change.Provider, idp.Provider); Assert.Equal(change.IssuerUrl, idp.IssuerUrl); }
                AfterStep(path, root, text, added, changedId: id, kind: "set");
            }
            var google = EntryOf(path, root, "test-google");
            Assert.Equal("generic", Scalar(google, "provider"));
            Assert.Equal("Google Workspace", Scalar(google, "label"));
            Assert.Equal(new[] { "openid", "email" }, List(google, "scope"));
            Assert.Equal(GoogleSecret, Scalar(google, "client_secret"));
            Assert.Null(Scalar(EntryOf(path, root, "test-apple"), "label"));

            // Remove them all again.
            foreach (var id in added.ToList())
            {
                var text = File.ReadAllText(path);
                Assert.True(target.Remove(id, new OperationOptions(), host));
                added.Remove(id);
                Assert.Null(EntryOf(path, root, id));
                AfterStep(path, root, text, added, changedId: id, kind: "remove");
            }
            var after = target.GetIdps(host);
            Assert.Equal(before.Select(i => i.Name), after.Select(i => i.Name));
            Assert.Equal(before.Select(i => i.Status), after.Select(i => i.Status));

            // A file that had providers and oidc switched on comes back byte for byte.
            if (before.Count > 0 && before[0].Enabled)
                Assert.Equal(original, File.ReadAllText(path));

            foreach (var s in Secrets)
                Assert.DoesNotContain(host.AllText, t => t.Contains(s));
            AssertNoTempFiles(path);
        }

        private static void AfterStep(string path, string root, string previous, List<string> ours, string changedId, string kind)
        {
            var now = File.ReadAllText(path);
            // The file parses, and every entry we wrote validates against Kratos's schema.
            var providers = ProvidersOf(path, root);
            Assert.NotNull(providers);
            foreach (var id in ours)
            {
                var e = EntryOf(path, root, id);
                Assert.NotNull(e);
                var errors = SchemaErrors((Newtonsoft.Json.Linq.JObject)ToJson(e));
                Assert.True(errors.Count == 0, $"{id}: {string.Join("; ", errors)}\n{now}");
            }
            // Only the touched entry's lines (and the scaffold keys) changed.
            var (deleted, inserted) = LineDiff(previous, now);
            if (kind == "add")
            {
                foreach (var d in deleted)
                    Assert.True(ScaffoldLine.IsMatch(d.Text.TrimEnd('\r', '\n')), $"Add changed a line outside the providers list: {d.Line}: '{d.Text}'\n{now}");
            }
            else
            {
                // Deleted lines must lie within the entry's original span.
                var old = TempFile("prev" + Path.GetExtension(path), previous);
                var e = EntryOf(old, root, changedId);
                Assert.NotNull(e);
                int first = (int)e.Start.Line - 1, last = (int)e.AllNodes.Max(n => n.End.Line);
                // A line diff may align identical neighbouring lines ('-', '{') either way: allow that much slack.
                if (kind == "remove") { first -= 1; last += 2; }
                foreach (var d in deleted)
                    Assert.True(d.Line >= first && d.Line <= last || ScaffoldLine.IsMatch(d.Text.TrimEnd('\r', '\n')),
                        $"{kind} {changedId} changed line {d.Line} outside the entry (lines {first}-{last}): '{d.Text}'\n{now}");
                if (kind == "remove")
                    foreach (var i in inserted)
                        Assert.Matches(@"^\s*""?providers""?\s*:\s*\[\]\s*$|^\s*\]?,?\s*$", i.Text.TrimEnd('\r', '\n'));
            }
        }

        [Fact]
        public void Jinja_template_is_refused_as_invalid_yaml()
        {
            var path = TempCopy(Path.Combine(Corpus, "canonical-kratos-operator__kratos.yaml.j2"));
            var bytes = File.ReadAllBytes(path);
            var target = new ConfigFileTarget(path, null);
            var ex = Assert.Throws<ExternalIdpException>(() => target.GetIdps(new RecordingHost()));
            Assert.Equal(ErrorIds.ConfigFileInvalid, ex.ErrorId);
            Assert.Matches(@"line \d+, column \d+", ex.Message);
            ex = Assert.Throws<ExternalIdpException>(() => target.Add(null, Google(), new OperationOptions(), new RecordingHost()));
            Assert.Equal(ErrorIds.ConfigFileInvalid, ex.ErrorId);
            Assert.Equal(bytes, File.ReadAllBytes(path));
        }

        [Fact]
        public void Get_reads_the_e2e_profile_entries()
        {
            var path = TempCopy(Path.Combine(Corpus, "ory-kratos-e2e-profile-oidc__.kratos.yml"));
            var idps = new ConfigFileTarget(path, null).GetIdps(new RecordingHost());
            Assert.Equal(new[] { "hydra", "google", "github" }, idps.Select(i => i.Name));
            Assert.All(idps, i => Assert.Equal("generic", i.Provider));
            Assert.All(idps, i => Assert.Equal("Invalid", i.Status)); // ${ENV} placeholders
            Assert.All(idps, i => Assert.Contains(i.Problems, p => p.Contains("placeholder")));
            Assert.All(idps, i => Assert.True(i.HasClientSecret));
            Assert.All(idps, i => Assert.Equal("ConfigFile", i.TargetType));
            Assert.All(idps, i => Assert.Equal(path, i.ConfigPath));
        }

        [Fact]
        public void Get_shows_a_non_mapping_entry_as_invalid()
        {
            var path = TempCopy(Path.Combine(Corpus, "ory-kratos-schema-fixture-success__root.full.yml"));
            var idps = new ConfigFileTarget(path, null).GetIdps(new RecordingHost());
            var only = Assert.Single(idps);
            Assert.Equal("Invalid", only.Status);
            Assert.Contains(only.Problems, p => p.Contains("not a mapping"));
        }

        [Fact]
        public void Get_shows_template_entries_and_disabled_method()
        {
            var path = TempCopy(Path.Combine(Corpus, "dyrectorio-2024__kratos.template.yaml"));
            var idps = new ConfigFileTarget(path, null).GetIdps(new RecordingHost());
            Assert.Equal(new[] { "gitlab", "github", "google", "azure" }, idps.Select(i => i.Name));
            Assert.All(idps, i => Assert.False(i.Enabled));
            Assert.All(idps, i => Assert.False(i.HasClientSecret));
            Assert.All(idps, i => Assert.Equal("Invalid", i.Status));
            Assert.All(idps, i => Assert.Contains(i.Problems, p => p.Contains("'client_secret' is empty")));
            var azure = idps.Last();
            Assert.Equal("microsoft", azure.Provider);
            Assert.Equal("common", azure.TenantId);
            Assert.Equal("userinfo", azure.SubjectSource);
            Assert.Null(azure.RedirectUri); // base_redirect_uri is ${KRATOS_URL}
        }

        [Fact]
        public void Helm_values_need_config_root()
        {
            var path = TempCopy(Path.Combine(Corpus, "ory-k8s-hacks-values-kratos__default.yaml"));
            var bytes = File.ReadAllBytes(path);
            var target = new ConfigFileTarget(path, "kratos.config");
            var idp = target.Add(null, Google(), new OperationOptions(), new RecordingHost());
            Assert.Equal("kratos.config", idp.ConfigRoot);
            Assert.NotNull(EntryOf(path, "kratos.config", "test-google"));
            var text = File.ReadAllText(path);
            // Inserted under kratos.config.selfservice.methods at the file's indentation.
            Assert.Contains("      methods:\n        password:\n          enabled: true\n        oidc:\n          enabled: true\n          config:\n            providers:\n              - id: test-google\n", text);

            var missing = new ConfigFileTarget(path, "kratos.nothere");
            var ex = Assert.Throws<ExternalIdpException>(() => missing.GetIdps(new RecordingHost()));
            Assert.Equal(ErrorIds.ConfigFileInvalid, ex.ErrorId);
            Assert.Contains("kratos.nothere", ex.Message);
        }
    }
}
