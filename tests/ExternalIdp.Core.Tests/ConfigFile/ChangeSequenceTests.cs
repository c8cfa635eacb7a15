using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using ExternalIdp.Core;
using ExternalIdp.Core.ConfigFile;
using Xunit;
using static ExternalIdp.Core.Tests.ConfigFile.TestSupport;

namespace ExternalIdp.Core.Tests.ConfigFile
{
    /// <summary>
    /// Sequences of changes in many layouts: each one touches only its entry, returns what a fresh
    /// read of the written file gives, and starts from what the file says now (also after another
    /// program or thread changed it).
    /// </summary>
    public class ChangeSequenceTests
    {
        private static readonly OperationOptions Opt = new OperationOptions();

        private static IdpSettings Github(string id) => new IdpSettings
        {
            Provider = "github", ProviderId = id, ClientId = "c-" + id, ClientSecret = TestSecrets.Plain("s-" + id),
            MapperUrl = "file:///m.jsonnet", Scope = new[] { "user:email" },
        };

        private static string Many(int n, string nl = "\n")
        {
            var sb = new StringBuilder();
            sb.Append("version: v1.3.0").Append(nl).Append("serve:").Append(nl).Append("  public:").Append(nl)
              .Append("    base_url: https://auth.example.com/").Append(nl)
              .Append("selfservice:").Append(nl).Append("  methods:").Append(nl).Append("    oidc:").Append(nl)
              .Append("      enabled: true").Append(nl).Append("      config:").Append(nl).Append("        providers:").Append(nl);
            for (int i = 0; i < n; i++)
                sb.Append("          - id: p").Append(i).Append(nl)
                  .Append("            provider: generic").Append(nl)
                  .Append("            client_id: c").Append(i).Append(nl)
                  .Append("            client_secret: s").Append(i).Append(nl)
                  .Append("            issuer_url: https://idp").Append(i).Append(".example.com").Append(nl)
                  .Append("            mapper_url: file:///m.jsonnet").Append(nl)
                  .Append("            scope: [openid, email]").Append(nl);
            sb.Append("log:").Append(nl).Append("  level: debug").Append(nl);
            return sb.ToString();
        }

        /// <summary>A config with n providers, in the layout given by the switches.</summary>
        private static string Config(int n, string nl = "\n", string dash = "          - ", string before = "", string after = "log:\n  level: debug\n", bool comments = false, string root = null)
        {
            var ind = new string(' ', dash.Length);
            var pre = root == null ? "" : "  ";
            var sb = new StringBuilder();
            if (root != null) sb.Append(root).Append(":\n");
            sb.Append(pre).Append("# ").Append(before).Append('\n')
              .Append(pre).Append("serve:\n").Append(pre).Append("  public:\n").Append(pre).Append("    base_url: https://auth.example.com/\n")
              .Append(pre).Append("selfservice:\n").Append(pre).Append("  methods:\n").Append(pre).Append("    oidc:\n")
              .Append(pre).Append("      enabled: true\n").Append(pre).Append("      config:\n").Append(pre).Append("        providers:\n");
            for (int i = 0; i < n; i++)
            {
                if (comments) sb.Append(pre).Append("          # provider ").Append(i).Append(" ").Append(before).Append("\n\n");
                sb.Append(pre).Append(dash).Append("id: p").Append(i).Append('\n')
                  .Append(pre).Append(ind).Append("provider: generic\n")
                  .Append(pre).Append(ind).Append("label: \"P ").Append(i).Append(' ').Append(before).Append("\"\n")
                  .Append(pre).Append(ind).Append("client_id: c").Append(i).Append('\n')
                  .Append(pre).Append(ind).Append("client_secret: s").Append(i).Append('\n')
                  .Append(pre).Append(ind).Append("issuer_url: https://idp").Append(i).Append(".example.com\n")
                  .Append(pre).Append(ind).Append("mapper_url: file:///m.jsonnet\n")
                  .Append(pre).Append(ind).Append("scope:\n")
                  .Append(pre).Append(ind).Append("  - openid\n");
            }
            foreach (var line in after.Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries)) sb.Append(pre).Append(line).Append('\n');
            return sb.ToString().Replace("\n", nl);
        }

        public static IEnumerable<object[]> Layouts() => new[]
        {
            new object[] { "plain", Config(12), null, false },
            new object[] { "CRLF", Config(12, nl: "\r\n"), null, false },
            new object[] { "BOM", Config(12), null, true },
            new object[] { "astral characters before and inside the list", Config(12, before: "\U0001F510 sign-in \u00e9\u00e8"), null, false },
            new object[] { "comments and blank lines between entries", Config(12, comments: true), null, false },
            new object[] { "list at column of its key", Config(12, dash: "        - "), null, false },
            new object[] { "list last in the file", Config(12, after: ""), null, false },
            new object[] { "more keys at several levels after the list", Config(12, after: "      after_list: 1\n    password:\n      enabled: true\n  flows:\n    error:\n      ui_url: https://e/\nlog:\n  level: [debug, info]\n"), null, false },
            new object[] { "nested under a config root", Config(12, root: "kratos"), "kratos", false },
        };

        [Theory]
        [MemberData(nameof(Layouts))]
        public void Each_change_reads_back_from_the_file_as_intended(string layout, string text, string root, bool bom)
        {
            var path = TempFile("kratos.yml", text, bom);
            var t = new ConfigFileTarget(path, root);
            void Step(Func<KratosIdp> change, string id)
            {
                var returned = change();
                var idps = new ConfigFileTarget(path, root).GetIdps(null);
                Assert.All(idps, i => Assert.Equal("Valid", i.Status));
                if (returned != null) AssertSameAsRead(returned, path, root);
                else Assert.DoesNotContain(idps, i => i.ProviderId == id);
            }
            KratosIdp Removed(string id) { Assert.True(t.Remove(id, Opt, null), layout); return null; }
            Step(() => t.Add(null, Github("new-last"), Opt, null), "new-last");
            Step(() => t.Set("p5", new IdpSettings { Label = "Five \U0001F600", Scope = new[] { "openid", "email" } }, Opt, null), "p5");
            Step(() => t.Set("p0", new IdpSettings { Label = "Zero, longer than before" }, Opt, null), "p0");
            Step(() => t.Set("new-last", new IdpSettings { Label = "Last" }, Opt, null), "new-last");
            Step(() => Removed("p7"), "p7");
            Step(() => Removed("new-last"), "new-last");
            Step(() => Removed("p11"), "p11");
            Step(() => Removed("p0"), "p0");
            Step(() => t.Add(null, Github("again"), Opt, null), "again");
            Assert.Equal(new[] { "p1", "p2", "p3", "p4", "p5", "p6", "p8", "p9", "p10", "again" }, new ConfigFileTarget(path, root).GetIdps(null).Select(i => i.ProviderId));
        }

        [Theory]
        [InlineData("\n")]
        [InlineData("\r\n")]
        public void Common_edits_of_a_block_list_touch_only_their_entries(string nl)
        {
            var path = TempFile("kratos.yml", Many(50, nl));
            var t = new ConfigFileTarget(path, null);
            var before = File.ReadAllText(path);

            var added = t.Add(null, Generic(), Opt, new RecordingHost());
            Assert.Equal("test-oidc", added.ProviderId);
            Assert.Equal(new[] { "openid", "email", "profile" }, added.Scope);
            Assert.True(added.HasClientSecret);
            AssertSameAsRead(added, path);

            var set = t.Set("p7", new IdpSettings { Label = "Seven", Scope = new[] { "openid" } }, Opt, new RecordingHost());
            Assert.Equal("Seven", set.Label);
            Assert.Equal(new[] { "openid" }, set.Scope);
            AssertSameAsRead(set, path);

            var renamed = t.Set("p0", new IdpSettings { ProviderId = "first" }, Opt, new RecordingHost());
            Assert.Equal("first", renamed.ProviderId);

            Assert.True(t.Remove("p49", Opt, new RecordingHost()));
            Assert.True(t.Remove("test-oidc", Opt, new RecordingHost()));

            // What was written reads back as intended (full, independent read).
            var all = new ConfigFileTarget(path, null).GetIdps(null);
            Assert.Equal(49, all.Count);
            Assert.Equal("first", all[0].ProviderId);
            Assert.Equal("Seven", all[7].Label);
            Assert.All(all, i => Assert.Equal("Valid", i.Status));
            // Only the touched entries changed: everything else is byte-identical.
            Assert.Equal(Without(before, nl, "p0", "p7", "p49"), Without(File.ReadAllText(path), nl, "first", "p7"));
        }

        /// <summary>The text without the entries of the given ids (each runs to the next entry or to "log:").</summary>
        private static string Without(string text, string nl, params string[] ids)
        {
            var sb = new StringBuilder();
            bool skip = false;
            foreach (var line in text.Split(new[] { nl }, StringSplitOptions.None))
            {
                if (line.StartsWith("          - id: ", StringComparison.Ordinal)) skip = ids.Contains(line.Substring(16));
                else if (!line.StartsWith("            ", StringComparison.Ordinal)) skip = false;
                if (!skip) sb.Append(line).Append(nl);
            }
            return sb.ToString();
        }

        [Theory]
        [InlineData("\n")]
        [InlineData("\r\n")]
        public void Entries_set_off_by_blank_lines_and_comments_keep_their_separators(string nl)
        {
            // Items of the same text next to each other: the changed region still falls on whole entries.
            var sb = new StringBuilder("selfservice:" + nl + "  methods:" + nl + "    oidc:" + nl + "      enabled: true" + nl + "      config:" + nl + "        providers:" + nl + nl);
            for (int i = 0; i < 20; i++)
                sb.Append("          # entry ").Append(i).Append(nl)
                  .Append("          - id: gh").Append(i).Append(nl).Append("            provider: github").Append(nl)
                  .Append("            client_id: c").Append(i).Append(nl).Append("            client_secret: s").Append(nl)
                  .Append("            mapper_url: file:///m.jsonnet").Append(nl).Append("            scope:").Append(nl)
                  .Append("              - user:email").Append(nl).Append(nl);
            sb.Append("  flows:").Append(nl).Append("    error:").Append(nl).Append("      ui_url: https://app.example.com/error").Append(nl);
            var text = sb.ToString();
            var path = TempFile("kratos.yml", text);
            var t = new ConfigFileTarget(path, null);
            var gh = new IdpSettings { Provider = "github", ProviderId = "gh-new", ClientId = "c", ClientSecret = TestSecrets.Plain("s"), MapperUrl = "file:///m.jsonnet", Scope = new[] { "user:email" } };
            var added = t.Add(null, gh, Opt, new RecordingHost());
            AssertSameAsRead(added, path);
            var set = t.Set("gh5", new IdpSettings { Label = "Five" }, Opt, new RecordingHost());
            AssertSameAsRead(set, path);
            t.Set("gh5", new IdpSettings { Label = "" }, Opt, new RecordingHost());
            Assert.True(t.Remove("gh-new", Opt, new RecordingHost()));
            Assert.Equal(text, File.ReadAllText(path));
            Assert.True(t.Remove("gh0", Opt, new RecordingHost()));
            Assert.True(t.Remove("gh19", Opt, new RecordingHost()));
            var all = new ConfigFileTarget(path, null).GetIdps(null);
            Assert.Equal(Enumerable.Range(1, 18).Select(i => "gh" + i), all.Select(i => i.ProviderId));
        }

        [Fact]
        public void Adding_setting_and_removing_on_the_base_file_read_back_as_returned()
        {
            var path = TempFile("kratos.yml", EditTests.Base);
            var t = new ConfigFileTarget(path, null);
            var apple = t.Add(null, Apple(), Opt, new RecordingHost());
            AssertSameAsRead(apple, path);
            Assert.Equal(ApplePem, Scalar(EntryOf(path, null, "test-apple"), "apple_private_key"));
            var gh = t.Set("github", new IdpSettings { Label = "GitHub" }, Opt, new RecordingHost());
            AssertSameAsRead(gh, path);
            t.Remove("test-apple", Opt, new RecordingHost());
        }

        [Fact]
        public void Json_flow_lists_a_switched_on_oidc_anchors_and_a_missing_final_break_are_edited()
        {
            // JSON
            var json = TempFile("kratos.json", EditTests.JsonBase);
            var tj = new ConfigFileTarget(json, null);
            AssertSameAsRead(tj.Add(null, Google(), Opt, new RecordingHost()), json);

            // A flow-style providers list.
            var flow = TempFile("kratos.yml", "selfservice:\n  methods:\n    oidc:\n      enabled: true\n      config:\n        providers: [{id: a, provider: github, client_id: x, mapper_url: 'file:///m'}]\n");
            var tf = new ConfigFileTarget(flow, null);
            AssertSameAsRead(tf.Set("a", new IdpSettings { Label = "A" }, Opt, new RecordingHost()), flow);

            // oidc switched off: adding switches it on, a line outside the list.
            var off = TempFile("kratos.yml", Many(3).Replace("enabled: true", "enabled: false"));
            var to = new ConfigFileTarget(off, null);
            to.Add(null, Google(), Opt, new RecordingHost());
            Assert.True(to.GetIdps(null).All(i => i.Enabled));
            // ...and once it is on, the next add leaves it on.
            to.Add(null, Entra(), Opt, new RecordingHost());
            Assert.Equal(5, to.GetIdps(null).Count(i => i.Enabled));

            // Anchors anywhere in the file.
            var anch = TempFile("kratos.yml", Many(3).Replace("log:\n  level: debug\n", "log:\n  level: &lvl debug\n  other: *lvl\n"));
            var ta = new ConfigFileTarget(anch, null);
            AssertSameAsRead(ta.Set("p1", new IdpSettings { Label = "One" }, Opt, new RecordingHost()), anch);
            Assert.Contains("  level: &lvl debug\n  other: *lvl\n", File.ReadAllText(anch));

            // Removing the only entry writes providers: [] (a change of the list's own line).
            var one = TempFile("kratos.yml", Many(1));
            var t1 = new ConfigFileTarget(one, null);
            t1.Remove("p0", Opt, new RecordingHost());
            Assert.Contains("        providers: []\n", File.ReadAllText(one));
            Assert.Empty(t1.GetIdps(null));

            // The last line without a line break.
            var nobreak = TempFile("kratos.yml", Many(3).Replace("log:\n  level: debug\n", ""));
            File.WriteAllText(nobreak, File.ReadAllText(nobreak).TrimEnd('\n'));
            var tn = new ConfigFileTarget(nobreak, null);
            tn.Set("p2", new IdpSettings { Label = "Two" }, Opt, new RecordingHost());
            Assert.Equal("Two", tn.GetIdps(null)[2].Label);
        }

        [Fact]
        public void Edits_of_a_thousand_provider_file_read_back_as_returned()
        {
            var path = TempFile("kratos.yml", Many(1000));
            var t = new ConfigFileTarget(path, null);
            var rnd = new Random(7);
            for (int step = 0; step < 10; step++)
            {
                var id = "p" + rnd.Next(1000);
                var set = t.Set(id, new IdpSettings { Label = "L" + step, Scope = new[] { "openid", "s" + step } }, Opt, new RecordingHost());
                AssertSameAsRead(set, path);
                var read = new ConfigFileTarget(path, null).GetIdps(null).Single(i => i.ProviderId == id);
                Assert.Equal(set.Label, read.Label);
                Assert.Equal(set.Scope, read.Scope);
                Assert.Equal("L" + step, read.Label);
            }
            Assert.Equal(1000, new ConfigFileTarget(path, null).GetIdps(null).Count);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_file_changed_elsewhere_is_read_afresh(bool sameLength)
        {
            var path = TempFile("kratos.yml", Config(10));
            var t = new ConfigFileTarget(path, null);
            t.Set("p3", new IdpSettings { Label = "Three" }, Opt, null);
            // Another program edits the file: one character of a label (same length), or a longer label.
            var text = File.ReadAllText(path);
            Assert.Contains("label: \"Three\"", text);
            File.WriteAllText(path, text.Replace("label: \"Three\"", sameLength ? "label: \"Thref\"" : "label: \"Three hundred\""));
            Assert.Equal(sameLength ? "Thref" : "Three hundred", new ConfigFileTarget(path, null).GetIdps(null).Single(i => i.ProviderId == "p3").Label);
            // And a change made now starts from what the file says.
            t.Set("p4", new IdpSettings { Label = "Four" }, Opt, null);
            var idps = new ConfigFileTarget(path, null).GetIdps(null);
            Assert.Equal(sameLength ? "Thref" : "Three hundred", idps.Single(i => i.ProviderId == "p3").Label);
            Assert.Equal("Four", idps.Single(i => i.ProviderId == "p4").Label);
        }

        [Fact]
        public void Threads_that_read_and_change_files_at_once_see_consistent_files()
        {
            var files = Enumerable.Range(0, 3).Select(_ => TempFile("kratos.yml", Config(40))).ToList();
            var errors = new List<string>();
            Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, w =>
            {
                var path = files[w % files.Count];
                var t = new ConfigFileTarget(path, null);
                for (int i = 0; i < 25; i++)
                {
                    try
                    {
                        if (w < 3) t.Set("p" + (i % 40), new IdpSettings { Label = $"w{w} i{i}" }, Opt, null);
                        var idps = t.GetIdps(null);
                        if (idps.Count != 40) lock (errors) errors.Add($"{path}: {idps.Count} IdPs");
                    }
                    catch (ExternalIdpException ex) when (ex.ErrorId == ErrorIds.ConfigFileLocked) { }
                }
            });
            Assert.Empty(errors);
            foreach (var f in files)
            {
                var idps = new ConfigFileTarget(f, null).GetIdps(null);
                Assert.Equal(40, idps.Count);
                Assert.Equal("w" + files.IndexOf(f) + " i24", idps[24].Label);
            }
        }

        /// <summary>What a change returns is what a fresh read of the written file gives.</summary>
        private static void AssertSameAsRead(KratosIdp returned, string path, string root = null)
        {
            var read = new ConfigFileTarget(path, root).GetIdps(null).Single(i => i.ProviderId == returned.ProviderId);
            foreach (var p in typeof(KratosIdp).GetProperties())
            {
                var a = p.GetValue(returned); var b = p.GetValue(read);
                if (a is System.Collections.IEnumerable ea && !(a is string)) Assert.Equal(ea.Cast<object>(), ((System.Collections.IEnumerable)b).Cast<object>());
                else Assert.Equal(b, a);
            }
        }
    }
}
