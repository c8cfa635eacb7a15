using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading.Tasks;
using ExternalIdp.Core;
using ExternalIdp.Core.ConfigFile;
using Xunit;
using static ExternalIdp.Core.Tests.ConfigFile.TestSupport;

namespace ExternalIdp.Core.Tests.ConfigFile
{
    /// <summary>
    /// The remembered trees are one per process: tests that look at them run alone, so that no
    /// other test's files push an entry out of the cache while it is being checked.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class ProcessCacheCollection
    {
        public const string Name = "The process-wide parse-tree cache";
    }

    /// <summary>
    /// The trees remembered between operations: handed out only for the exact text they were read
    /// from, equal to a fresh parse (also when built from a change instead of parsed), immutable,
    /// bounded, and safe to share between threads.
    /// </summary>
    [Collection(ProcessCacheCollection.Name)]
    public class ParsedDocumentsTests
    {
        private static readonly OperationOptions Opt = new OperationOptions();

        private static IdpSettings Github(string id) => new IdpSettings
        {
            Provider = "github", ProviderId = id, ClientId = "c-" + id, ClientSecret = TestSecrets.Plain("s-" + id),
            MapperUrl = "file:///m.jsonnet", Scope = new[] { "user:email" },
        };

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
        public void After_each_change_the_remembered_tree_is_exactly_a_parse_of_the_file(string layout, string text, string root, bool bom)
        {
            var path = TempFile("kratos.yml", text, bom);
            var t = new ConfigFileTarget(path, root);
            int built = 0;
            void Step(Action change)
            {
                change();
                Assert.Equal("Local", t.LastCheck);
                if (TreeAssert.RememberedTreeIsFaithful(path)) built++;
                // Whatever was remembered, a read gives what the file says.
                var idps = new ConfigFileTarget(path, root).GetIdps(null);
                Assert.True(TreeAssert.RememberedTreeIsFaithful(path), layout + ": a read leaves the file's tree remembered");
                Assert.All(idps, i => Assert.Equal("Valid", i.Status));
            }
            Step(() => t.Add(null, Github("new-last"), Opt, null));
            Step(() => t.Set("p5", new IdpSettings { Label = "Five \U0001F600", Scope = new[] { "openid", "email" } }, Opt, null));
            Step(() => t.Set("p0", new IdpSettings { Label = "Zero, longer than before" }, Opt, null));
            Step(() => t.Set("new-last", new IdpSettings { Label = "Last" }, Opt, null));
            Step(() => t.Remove("p7", Opt, null));
            Step(() => t.Remove("new-last", Opt, null));
            Step(() => t.Remove("p11", Opt, null));
            Step(() => t.Remove("p0", Opt, null));
            Step(() => t.Add(null, Github("again"), Opt, null));
            Assert.True(built >= 7, $"{layout}: only {built} of 9 changes left a tree for the next operation");
            Assert.Equal(new[] { "p1", "p2", "p3", "p4", "p5", "p6", "p8", "p9", "p10", "again" }, new ConfigFileTarget(path, root).GetIdps(null).Select(i => i.ProviderId));
        }

        [Fact]
        public void An_unchanged_file_is_not_parsed_again()
        {
            var path = TempFile("kratos.yml", Config(30));
            var t = new ConfigFileTarget(path, null);
            t.Set("p3", new IdpSettings { Label = "Three" }, Opt, null);
            var remembered = ParsedDocuments.Peek(path);
            Assert.NotNull(remembered);
            Assert.Equal(File.ReadAllText(path), remembered.Text);
            Assert.Same(remembered, ConfigFileStore.Parse(ConfigFileStore.Read(path), null).Doc);
            // Another target object (another command) on the same file gets the same tree.
            Assert.Equal("Three", new ConfigFileTarget(path, null).GetIdps(null).Single(i => i.ProviderId == "p3").Label);
            Assert.Same(remembered, ParsedDocuments.Peek(path));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_file_changed_elsewhere_is_read_afresh(bool sameLength)
        {
            var path = TempFile("kratos.yml", Config(10));
            var t = new ConfigFileTarget(path, null);
            t.Set("p3", new IdpSettings { Label = "Three" }, Opt, null);
            Assert.True(TreeAssert.RememberedTreeIsFaithful(path));
            // Another program edits the file: one character of a label (same length), or a longer label.
            var text = File.ReadAllText(path);
            Assert.Contains("label: \"Three\"", text);
            File.WriteAllText(path, text.Replace("label: \"Three\"", sameLength ? "label: \"Thref\"" : "label: \"Three hundred\""));
            Assert.Equal(sameLength ? "Thref" : "Three hundred", new ConfigFileTarget(path, null).GetIdps(null).Single(i => i.ProviderId == "p3").Label);
            Assert.True(TreeAssert.RememberedTreeIsFaithful(path));
            // And a change made now starts from what the file says.
            t.Set("p4", new IdpSettings { Label = "Four" }, Opt, null);
            var idps = new ConfigFileTarget(path, null).GetIdps(null);
            Assert.Equal(sameLength ? "Thref" : "Three hundred", idps.Single(i => i.ProviderId == "p3").Label);
            Assert.Equal("Four", idps.Single(i => i.ProviderId == "p4").Label);
        }

        [Fact]
        public void A_change_that_empties_the_list_or_removes_its_first_entry_leaves_no_tree_and_the_next_read_parses()
        {
            var path = TempFile("kratos.yml", Config(2));
            var t = new ConfigFileTarget(path, null);
            t.Remove("p0", Opt, null);
            Assert.Equal("Local", t.LastCheck);
            Assert.False(TreeAssert.RememberedTreeIsFaithful(path));
            Assert.Equal(new[] { "p1" }, t.GetIdps(null).Select(i => i.ProviderId));
            Assert.True(TreeAssert.RememberedTreeIsFaithful(path));
            t.Remove("p1", Opt, null);
            Assert.Empty(t.GetIdps(null));
            Assert.True(TreeAssert.RememberedTreeIsFaithful(path));
        }

        [Theory]
        [InlineData(false, "\n")]
        [InlineData(true, "\r\n")]
        public void Holds_is_true_only_for_exactly_the_bytes_a_read_gave(bool bom, string nl)
        {
            // A surrogate pair across the 4,096-character chunks the comparison works in, and more.
            var text = "# " + new string('a', 4093) + "\U0001F510 key: \u00e9" + nl + "list:" + nl + "  - x" + nl + new string('b', 9000) + ": 1" + nl;
            var path = TempFile("kratos.yml", text, bom);
            var read = ConfigFileStore.Read(path);
            Assert.Equal(bom, read.Bom);
            Assert.Equal(text, read.Text);
            Assert.True(ConfigFileStore.Holds(path, bom, text));
            Assert.False(ConfigFileStore.Holds(path, !bom, text));
            Assert.False(ConfigFileStore.Holds(path, bom, text + " "));
            Assert.False(ConfigFileStore.Holds(path, bom, text.Substring(0, text.Length - 1)));
            Assert.False(ConfigFileStore.Holds(path, bom, text.Replace("key", "kez")));
            Assert.False(ConfigFileStore.Holds(path, bom, text.Replace("\U0001F510", "\U0001F511")));
            Assert.False(ConfigFileStore.Holds(path + ".missing", bom, text));
            // Text beginning with U+FEFF and no BOM can't be what a read gave (a read takes it for a BOM).
            var feff = TempFile("kratos.yml", "\uFEFFa: 1\n", bom: false);
            Assert.True(ConfigFileStore.Read(feff).Bom);
            Assert.False(ConfigFileStore.Holds(feff, false, "\uFEFFa: 1\n"));
            Assert.True(ConfigFileStore.Holds(feff, true, "a: 1\n"));
        }

        [Fact]
        public void Reading_an_unchanged_file_again_uses_the_remembered_text()
        {
            var path = TempFile("kratos.yml", Config(20), bom: true);
            var first = ConfigFileStore.Read(path);
            var doc = ConfigFileStore.Parse(first, null);
            var again = ConfigFileStore.Read(path);
            Assert.Same(doc.Doc.Text, again.Text);
            Assert.True(again.Bom);
            // One byte changed elsewhere (same length): read and decoded afresh.
            var bytes = File.ReadAllBytes(path);
            int at = Array.IndexOf(bytes, (byte)'P');
            bytes[at] = (byte)'Q';
            File.WriteAllBytes(path, bytes);
            var changed = ConfigFileStore.Read(path);
            Assert.NotSame(doc.Doc.Text, changed.Text);
            Assert.Contains("\"Q 0", changed.Text);
            Assert.Equal("Q 0 ", new ConfigFileTarget(path, null).GetIdps(null)[0].Label);
        }

        [Fact]
        public void Trees_are_immutable()
        {
            var types = new[] { typeof(YNode), typeof(YScalar), typeof(YAlias), typeof(YPair), typeof(YMapping), typeof(YSequence), typeof(YDocument), typeof(NodeSpan) };
            foreach (var type in types)
            {
                foreach (var f in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    Assert.True(f.IsInitOnly, $"{type.Name}.{f.Name} can be changed after the tree is built");
                foreach (var p in type.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    Assert.Null(p.SetMethod);
            }
            var doc = YamlTreeReader.Parse("a: &x [1, 2]\nb: *x\nc: {d: e}\n");
            var root = (YMapping)doc.Root;
            Assert.IsType<ReadOnlyCollection<YPair>>(root.Pairs);
            Assert.IsType<ReadOnlyCollection<YNode>>(((YSequence)root.Pairs[0].Value).Items);
            Assert.IsType<ReadOnlyDictionary<string, YNode>>(doc.Anchors);
            Assert.Throws<NotSupportedException>(() => ((IList<YPair>)root.Pairs).Add(root.Pairs[0]));
        }

        [Fact]
        public void The_latest_definition_of_a_reused_anchor_counts()
        {
            var doc = YamlTreeReader.Parse("a: &x {k: &x inner}\nb: *x\nc: &y 1\nd: &y 2\n");
            Assert.Equal("inner", ((YScalar)doc.Anchors["x"]).Value);
            Assert.Equal("2", ((YScalar)doc.Anchors["y"]).Value);
        }

        [Fact]
        public void Only_a_few_files_and_a_bounded_text_size_are_remembered()
        {
            var dir = Path.GetDirectoryName(TempFile("x.yml", "a: 1\n"));
            var paths = Enumerable.Range(0, ParsedDocuments.MaxFiles + 3).Select(i => Path.Combine(dir, $"k{i}.yml")).ToList();
            foreach (var p in paths) ParsedDocuments.Remember(p, YamlTreeReader.Parse("a: " + p + "\n"), false);
            Assert.Null(ParsedDocuments.Peek(paths[0]));
            Assert.Null(ParsedDocuments.Peek(paths[2]));
            Assert.NotNull(ParsedDocuments.Peek(paths[3]));
            Assert.NotNull(ParsedDocuments.Peek(paths.Last()));
            // A lookup with other text is a miss; with the same text, the remembered tree.
            Assert.False(ParsedDocuments.TryGet(paths.Last(), "a: other\n", out _));
            Assert.True(ParsedDocuments.TryGet(paths.Last(), "a: " + paths.Last() + "\n", out var hit));
            Assert.Same(ParsedDocuments.Peek(paths.Last()), hit);
            // Text bigger than the whole budget is not remembered at all.
            var huge = Path.Combine(dir, "huge.yml");
            ParsedDocuments.Remember(huge, new YDocument(new string('#', (int)ParsedDocuments.MaxChars + 1), null, 0, 0, false, null), false);
            Assert.Null(ParsedDocuments.Peek(huge));
            ParsedDocuments.Forget(paths.Last());
            Assert.Null(ParsedDocuments.Peek(paths.Last()));
        }

        [Fact]
        public void Threads_that_read_and_change_files_at_once_see_consistent_trees()
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
                TreeAssert.RememberedTreeIsFaithful(f);
            }
        }
    }
}
