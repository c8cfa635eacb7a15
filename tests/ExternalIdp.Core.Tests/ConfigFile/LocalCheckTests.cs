using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ExternalIdp.Core;
using ExternalIdp.Core.ConfigFile;
using Xunit;
using static ExternalIdp.Core.Tests.ConfigFile.TestSupport;

namespace ExternalIdp.Core.Tests.ConfigFile
{
    /// <summary>
    /// The local self-check: taken for the common edit of a block-style providers list, skipped
    /// (full re-read) for anything else, and never accepting text the full check would refuse.
    /// </summary>
    public class LocalCheckTests
    {
        private static readonly OperationOptions Opt = new OperationOptions();

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

        [Theory]
        [InlineData("\n")]
        [InlineData("\r\n")]
        public void Common_edits_of_a_block_list_are_checked_locally(string nl)
        {
            var path = TempFile("kratos.yml", Many(50, nl));
            var t = new ConfigFileTarget(path, null);
            var before = File.ReadAllText(path);

            var added = t.Add(null, Generic(), Opt, new RecordingHost());
            Assert.Equal("Local", t.LastCheck);
            Assert.Equal("test-oidc", added.ProviderId);
            Assert.Equal(new[] { "openid", "email", "profile" }, added.Scope);
            Assert.True(added.HasClientSecret);
            AssertSameAsRead(added, path);

            var set = t.Set("p7", new IdpSettings { Label = "Seven", Scope = new[] { "openid" } }, Opt, new RecordingHost());
            Assert.Equal("Local", t.LastCheck);
            Assert.Equal("Seven", set.Label);
            Assert.Equal(new[] { "openid" }, set.Scope);
            AssertSameAsRead(set, path);

            var renamed = t.Set("p0", new IdpSettings { ProviderId = "first" }, Opt, new RecordingHost());
            Assert.Equal("Local", t.LastCheck);
            Assert.Equal("first", renamed.ProviderId);

            Assert.True(t.Remove("p49", Opt, new RecordingHost()));
            Assert.Equal("Local", t.LastCheck);
            Assert.True(t.Remove("test-oidc", Opt, new RecordingHost()));
            Assert.Equal("Local", t.LastCheck);

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

        /// <summary>What a change returns is what a full read of the written file gives.</summary>
        private static void AssertSameAsRead(KratosIdp returned, string path)
        {
            var read = new ConfigFileTarget(path, null).GetIdps(null).Single(i => i.ProviderId == returned.ProviderId);
            foreach (var p in typeof(KratosIdp).GetProperties())
            {
                var a = p.GetValue(returned); var b = p.GetValue(read);
                if (a is System.Collections.IEnumerable ea && !(a is string)) Assert.Equal(ea.Cast<object>(), ((System.Collections.IEnumerable)b).Cast<object>());
                else Assert.Equal(b, a);
            }
        }

        [Theory]
        [InlineData("\n")]
        [InlineData("\r\n")]
        public void Entries_set_off_by_blank_lines_and_comments_are_checked_locally(string nl)
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
            Assert.Equal("Local", t.LastCheck);
            AssertSameAsRead(added, path);
            var set = t.Set("gh5", new IdpSettings { Label = "Five" }, Opt, new RecordingHost());
            Assert.Equal("Local", t.LastCheck);
            AssertSameAsRead(set, path);
            t.Set("gh5", new IdpSettings { Label = "" }, Opt, new RecordingHost());
            Assert.Equal("Local", t.LastCheck);
            Assert.True(t.Remove("gh-new", Opt, new RecordingHost()));
            Assert.Equal("Local", t.LastCheck);
            Assert.Equal(text, File.ReadAllText(path));
            Assert.True(t.Remove("gh0", Opt, new RecordingHost()));
            Assert.Equal("Local", t.LastCheck);
            Assert.True(t.Remove("gh19", Opt, new RecordingHost()));
            Assert.Equal("Local", t.LastCheck);
            var all = new ConfigFileTarget(path, null).GetIdps(null);
            Assert.Equal(Enumerable.Range(1, 18).Select(i => "gh" + i), all.Select(i => i.ProviderId));
        }

        [Fact]
        public void Adding_to_the_base_file_is_checked_locally()
        {
            var path = TempFile("kratos.yml", EditTests.Base);
            var t = new ConfigFileTarget(path, null);
            var apple = t.Add(null, Apple(), Opt, new RecordingHost());
            Assert.Equal("Local", t.LastCheck);
            AssertSameAsRead(apple, path);
            Assert.Equal(ApplePem, Scalar(EntryOf(path, null, "test-apple"), "apple_private_key"));
            var gh = t.Set("github", new IdpSettings { Label = "GitHub" }, Opt, new RecordingHost());
            Assert.Equal("Local", t.LastCheck);
            AssertSameAsRead(gh, path);
            t.Remove("test-apple", Opt, new RecordingHost());
            Assert.Equal("Local", t.LastCheck);
        }

        [Fact]
        public void Json_flow_lists_a_switched_on_oidc_and_anchors_take_the_full_check()
        {
            // JSON
            var json = TempFile("kratos.json", EditTests.JsonBase);
            var tj = new ConfigFileTarget(json, null);
            tj.Add(null, Google(), Opt, new RecordingHost());
            Assert.Equal("Full", tj.LastCheck);

            // A flow-style providers list.
            var flow = TempFile("kratos.yml", "selfservice:\n  methods:\n    oidc:\n      enabled: true\n      config:\n        providers: [{id: a, provider: github, client_id: x, mapper_url: 'file:///m'}]\n");
            var tf = new ConfigFileTarget(flow, null);
            tf.Set("a", new IdpSettings { Label = "A" }, Opt, new RecordingHost());
            Assert.Equal("Full", tf.LastCheck);

            // oidc switched off: adding switches it on, a line outside the list.
            var off = TempFile("kratos.yml", Many(3).Replace("enabled: true", "enabled: false"));
            var to = new ConfigFileTarget(off, null);
            to.Add(null, Google(), Opt, new RecordingHost());
            Assert.Equal("Full", to.LastCheck);
            Assert.True(to.GetIdps(null).All(i => i.Enabled));
            // ...and once it is on, the next add is local.
            to.Add(null, Entra(), Opt, new RecordingHost());
            Assert.Equal("Local", to.LastCheck);

            // Anchors anywhere in the file.
            var anch = TempFile("kratos.yml", Many(3).Replace("log:\n  level: debug\n", "log:\n  level: &lvl debug\n  other: *lvl\n"));
            var ta = new ConfigFileTarget(anch, null);
            ta.Set("p1", new IdpSettings { Label = "One" }, Opt, new RecordingHost());
            Assert.Equal("Full", ta.LastCheck);

            // Removing the only entry writes providers: [] (a change of the list's own line).
            var one = TempFile("kratos.yml", Many(1));
            var t1 = new ConfigFileTarget(one, null);
            t1.Remove("p0", Opt, new RecordingHost());
            Assert.Equal("Full", t1.LastCheck);

            // The last line without a line break.
            var nobreak = TempFile("kratos.yml", Many(3).Replace("log:\n  level: debug\n", ""));
            File.WriteAllText(nobreak, File.ReadAllText(nobreak).TrimEnd('\n'));
            var tn = new ConfigFileTarget(nobreak, null);
            tn.Set("p2", new IdpSettings { Label = "Two" }, Opt, new RecordingHost());
            Assert.Equal("Full", tn.LastCheck);
            Assert.Equal("Two", tn.GetIdps(null)[2].Label);
        }

        // ------------------------------------------------------------ the check itself, on crafted text

        private static (KratosConfigDocument Doc, List<ConfigFileTarget.Slot> Slots) Open(string text)
        {
            var path = TempFile("kratos.yml", text);
            var doc = ConfigFileStore.Parse(ConfigFileStore.Read(path), null);
            return (doc, doc.Items.Select(i => new ConfigFileTarget.Slot { Orig = i }).ToList());
        }

        private const string P1 =
            "          - id: p1\n            provider: generic\n            client_id: c1\n            client_secret: s1\n            issuer_url: https://idp1.example.com\n            mapper_url: file:///m.jsonnet\n            scope: [openid, email]\n";

        private static Dictionary<string, object> Intended(string label, string id = "p1") => new Dictionary<string, object>
        {
            ["id"] = id, ["provider"] = "generic", ["label"] = label, ["client_id"] = "c1", ["client_secret"] = "s1", ["issuer_url"] = "https://idp1.example.com",
            ["mapper_url"] = "file:///m.jsonnet", ["scope"] = new List<object> { "openid", "email" },
        };

        private static string WithLabel(string labelLine) => P1.Replace("            provider: generic\n", "            provider: generic\n" + labelLine);

        [Fact]
        public void The_intended_replacement_is_verified()
        {
            var (doc, slots) = Open(Many(3));
            slots[1] = new ConfigFileTarget.Slot { Intended = Intended("One") };
            var text = doc.Text.Replace(P1, WithLabel("            label: One\n"));
            Assert.True(LocalCheck.TryVerify(doc, text, slots, false, out var edit));
            var items = edit.Items;
            Assert.Equal(3, items.Count);
            Assert.Same(doc.Items[0], items[0]);
            Assert.Same(doc.Items[2], items[2]);
            Assert.Equal("p1", doc.IdOf(items[1]));
        }

        public static IEnumerable<object[]> Bad()
        {
            // (new text for entry p1, why the local check must not accept it, whether the full check refuses it too)
            yield return new object[] { WithLabel("            label: Two\n"), "another value", true };
            yield return new object[] { WithLabel("            label: yes\n"), "a value that reads as another type", true };
            yield return new object[] { WithLabel("            label: |\n              One\n"), "a block scalar", true };
            yield return new object[] { WithLabel("            label: &a One\n"), "an anchor", false };
            yield return new object[] { WithLabel("            label: !!str One\n"), "a tag", false };
            yield return new object[] { WithLabel("        label: One\n"), "a line left of the list (it would close it)", true };
            yield return new object[] { WithLabel("          label: One\n"), "a line at the dash column that is not a dash", true };
            yield return new object[] { WithLabel("            label: One\n          - id: extra\n"), "an extra item", true };
            yield return new object[] { WithLabel("            label: One\n---\n"), "a document marker", true };
            yield return new object[] { WithLabel("\t    label: One\n"), "a tab", true };
            yield return new object[] { WithLabel("            label: \"One\n"), "an unclosed quote", true };
            yield return new object[] { WithLabel("            label: [One\n"), "an unclosed flow list", true };
            yield return new object[] { "            label: One\n" + P1, "an entry that doesn't start with its dash", true };
            yield return new object[] { "", "a missing entry", true };
        }

        [Theory]
        [MemberData(nameof(Bad))]
        public void Text_that_is_not_the_intended_replacement_is_not_verified(string replacement, string why, bool fullRefuses)
        {
            var (doc, slots) = Open(Many(3));
            slots[1] = new ConfigFileTarget.Slot { Intended = Intended("One") };
            var text = doc.Text.Replace(P1, replacement);
            Assert.False(LocalCheck.TryVerify(doc, text, slots, false, out _), why);
            // The local check only ever says "verified" or "not sure": the full check decides.
            var t = new ConfigFileTarget(doc.Path, null);
            if (fullRefuses) Assert.Throws<ExternalIdpException>(() => t.SelfCheck(doc, text, slots, false));
            else t.SelfCheck(doc, text, slots, false); // same value, so the full check lets it through
        }

        [Theory]
        [InlineData("\r")]
        [InlineData("\u0085")]
        [InlineData("\u2028")]
        public void Text_with_other_line_breaks_is_not_judged_locally(string brk)
        {
            // A lone CR, NEL or LS may break a line for a YAML reader: the line-based reasoning doesn't apply.
            var (doc, slots) = Open(Many(3).Replace("log:\n  level: debug\n", "log:\n  note: \"a" + brk + "    b\"\n"));
            slots[1] = new ConfigFileTarget.Slot { Intended = Intended("One") };
            var text = doc.Text.Replace(P1, WithLabel("            label: One\n"));
            Assert.False(LocalCheck.TryVerify(doc, text, slots, false, out _));
            // Without it, the same edit is verified locally.
            var (plain, plainSlots) = Open(Many(3));
            plainSlots[1] = new ConfigFileTarget.Slot { Intended = Intended("One") };
            Assert.True(LocalCheck.TryVerify(plain, plain.Text.Replace(P1, WithLabel("            label: One\n")), plainSlots, false, out _));
        }

        [Theory]
        [InlineData("log:\n  level: debug\n", "log:\n  level: info\n")]                    // a change outside the list as well
        [InlineData("      enabled: true\n", "      enabled: false\n")]                    // oidc switched off
        [InlineData("          - id: p2\n", "          - id: p2\n            client_id: extra\n")] // an untouched entry changed too
        [InlineData("log:\n", "            more: 1\nlog:\n")]                              // a line that joins the last entry
        [InlineData("          - id: p0\n", "          - id: p0 # note\n")]               // other bytes in an untouched entry
        public void Changes_beyond_the_intended_entry_are_not_verified(string from, string to)
        {
            var (doc, slots) = Open(Many(3));
            slots[1] = new ConfigFileTarget.Slot { Intended = Intended("One") };
            var text = doc.Text.Replace(P1, WithLabel("            label: One\n")).Replace(from, to);
            Assert.False(LocalCheck.TryVerify(doc, text, slots, false, out _));
        }

        [Fact]
        public void What_follows_the_list_must_close_it()
        {
            // The line after the list is more indented than the dashes (a continuation in the original
            // is impossible, so such a file is refused by the local check rather than reasoned about).
            var text = Many(2).Replace("log:\n  level: debug\n", "");
            var (doc, slots) = Open(text);
            slots.Add(new ConfigFileTarget.Slot { Intended = Intended("One", "p9") });
            var added = text + P1.Replace("id: p1", "id: p9").Replace("            provider: generic\n", "            provider: generic\n            label: One\n");
            Assert.True(LocalCheck.TryVerify(doc, added, slots, true, out var edit));
            var items = edit.Items;
            Assert.Equal(3, items.Count);
            // enable requested while oidc is off: not local.
            var (off, offSlots) = Open(text.Replace("enabled: true", "enabled: false"));
            offSlots.Add(new ConfigFileTarget.Slot { Intended = Intended("One", "p9") });
            Assert.False(LocalCheck.TryVerify(off, added.Replace("enabled: true", "enabled: false"), offSlots, true, out _));
        }

        [Fact]
        public void A_thousand_providers_edit_reads_back_as_the_full_check_says()
        {
            // The local and the full check agree on what the written file holds.
            var path = TempFile("kratos.yml", Many(1000));
            var t = new ConfigFileTarget(path, null);
            var rnd = new Random(7);
            for (int step = 0; step < 30; step++)
            {
                var id = "p" + rnd.Next(1000);
                var set = t.Set(id, new IdpSettings { Label = "L" + step, Scope = new[] { "openid", "s" + step } }, Opt, new RecordingHost());
                Assert.Equal("Local", t.LastCheck);
                AssertSameAsRead(set, path);
                var read = new ConfigFileTarget(path, null).GetIdps(null).Single(i => i.ProviderId == id);
                Assert.Equal(set.Label, read.Label);
                Assert.Equal(set.Scope, read.Scope);
                Assert.Equal("L" + step, read.Label);
            }
            Assert.Equal(1000, new ConfigFileTarget(path, null).GetIdps(null).Count);
        }

        [Fact]
        public void Common_prefix_and_suffix_match_a_character_by_character_scan()
        {
            var r = new Random(20261129);
            for (int round = 0; round < 400; round++)
            {
                var baseText = new string(Enumerable.Range(0, r.Next(0, 1200)).Select(_ => (char)r.Next('a', 'e')).ToArray());
                var x = baseText;
                var y = baseText;
                // Change, insert or delete at a random place (often near a 256-character block edge).
                int at = r.Next(3) == 0 ? Math.Min(baseText.Length, 256 * r.Next(0, 5) + r.Next(-2, 3)) : r.Next(0, baseText.Length + 1);
                at = Math.Max(0, Math.Min(at, baseText.Length));
                switch (r.Next(3))
                {
                    case 0: y = baseText.Substring(0, at) + "Z" + baseText.Substring(Math.Min(baseText.Length, at + 1)); break;
                    case 1: y = baseText.Insert(at, new string('Y', r.Next(1, 300))); break;
                    default: y = baseText.Remove(at, Math.Min(baseText.Length - at, r.Next(0, 300))); break;
                }
                int max = Math.Min(x.Length, y.Length);
                int p = 0; while (p < max && x[p] == y[p]) p++;
                Assert.Equal(p, LocalCheck.CommonPrefix(x, y, max));
                int lim = r.Next(0, max + 1);
                int s = 0; while (s < lim && x[x.Length - 1 - s] == y[y.Length - 1 - s]) s++;
                Assert.Equal(s, LocalCheck.CommonSuffix(x, y, lim));
            }
        }
    }
}
