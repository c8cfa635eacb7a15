using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ExternalIdp.Core;
using ExternalIdp.Core.ConfigFile;
using ExternalIdp.Core.Tests.ConfigFile;
using Newtonsoft.Json.Linq;
using Xunit;
using static ExternalIdp.Core.Tests.ConfigFile.TestSupport;

namespace ExternalIdp.Core.Tests.Reliability
{
    /// <summary>
    /// Files from many hands: handled faithfully (the change lands, everything else stays byte-identical,
    /// BOM and line endings kept, Add then Remove gives the original bytes back) or refused with the file untouched.
    /// </summary>
    public class OddFileTests
    {
        private static readonly OperationOptions Opt = new OperationOptions();
        private const string Ok = "ok";

        private const string Head = "serve:\n  public:\n    base_url: https://auth.example.com/\n";
        private const string Entry = "          - id: github\n            provider: github\n            client_id: gh\n            client_secret: s\n            mapper_url: file:///m.jsonnet\n";
        private static string Chain(string providers) => "selfservice:\n  methods:\n    oidc:\n      enabled: true\n      config:\n        providers:" + providers;
        private static readonly string Normal = Head + Chain("\n" + Entry) + "log:\n  level: debug\n";

        public static IEnumerable<object[]> Files()
        {
            object[] F(string name, string text, string expect, bool bom = false, string file = "kratos.yml") => new object[] { name, text, expect, bom, file };
            yield return F("bom", Normal, Ok, bom: true);
            yield return F("crlf", Normal.Replace("\n", "\r\n"), Ok);
            yield return F("bom and crlf", Normal.Replace("\n", "\r\n"), Ok, bom: true);
            yield return F("mixed line endings", Normal.Replace("base_url: https://auth.example.com/\n", "base_url: https://auth.example.com/\r\n"), Ok);
            yield return F("no final line break", Normal.TrimEnd('\n'), Ok);
            yield return F("tabs after colons and in comments", Head.Replace("public:", "public:\t# tab\tcomment") + Chain("\n" + Entry.Replace("client_id: gh", "client_id:\tgh")) + "log:\t{level:\tdebug}\n", Ok);
            yield return F("tab indentation", Head.Replace("  public", "\tpublic") + Chain("\n" + Entry), ErrorIds.ConfigFileInvalid);
            yield return F("duplicate key elsewhere", Normal + "log:\n  level: info\n", Ok);
            yield return F("duplicate key on the way to providers", Normal + "selfservice:\n  flows: {}\n", ErrorIds.ConfigFileUnsupported);
            yield return F("duplicate providers key", Head + Chain("\n" + Entry) + "        providers: []\n", ErrorIds.ConfigFileUnsupported);
            yield return F("anchors and aliases elsewhere", "defaults: &d\n  level: debug\n" + Head + Chain("\n" + Entry) + "log: *d\nother:\n  <<: *d\n  format: json\n", Ok);
            yield return F("alias as the providers list", "shared: &p\n  - id: a\n    provider: github\n    client_id: c\n    client_secret: s\n    mapper_url: file:///m.jsonnet\n" + Head + Chain(" *p\n"), ErrorIds.ConfigFileUnsupported);
            yield return F("anchored providers list", Head + Chain(" &p\n" + Entry), ErrorIds.ConfigFileUnsupported);
            yield return F("flow-style providers list", Head + Chain(" [{id: github, provider: github, client_id: gh, client_secret: s, mapper_url: 'file:///m.jsonnet'}]   # flow\n") + "log: {level: debug}\n", Ok);
            yield return F("flow-style empty list", Head + Chain(" []\n") + "log:\n  level: debug\n", Ok);
            yield return F("providers: null", Head + Chain(" null\n") + "log:\n  level: debug\n", Ok);
            yield return F("providers: ~", Head + Chain(" ~\n"), Ok);
            yield return F("providers: (nothing)", Head + Chain("\n") + "log:\n  level: debug\n", Ok);
            yield return F("empty file", "", ErrorIds.ConfigFileInvalid);
            yield return F("only white space", "  \n\n", ErrorIds.ConfigFileInvalid);
            yield return F("only comments", "# nothing here yet\n# kratos config follows\n", ErrorIds.ConfigFileInvalid);
            yield return F("only a document marker", "---\n", ErrorIds.ConfigFileInvalid);
            yield return F("document markers", "---\n" + Normal + "...\n", Ok);
            yield return F("two documents", Normal + "---\nother: 1\n", ErrorIds.ConfigFileUnsupported);
            yield return F("root is a list", "- a\n- b\n", ErrorIds.ConfigFileInvalid);
            yield return F("root is a scalar", "kratos\n", ErrorIds.ConfigFileInvalid);
            yield return F("providers is a mapping", Head + Chain("\n          github: {}\n"), ErrorIds.ConfigFileInvalid);
            yield return F("oidc is a list", Head + "selfservice:\n  methods:\n    oidc: [a]\n", ErrorIds.ConfigFileInvalid);
            yield return F("NUL byte", Normal.Replace("debug", "de\0bug"), ErrorIds.ConfigFileInvalid);
            yield return F("unclosed quote", Normal.Replace("level: debug", "level: \"debug"), ErrorIds.ConfigFileInvalid);
            yield return F("json with BOM and CRLF", "{\r\n  \"selfservice\": {\"methods\": {\"oidc\": {\"enabled\": true, \"config\": {\"providers\": []}}}}\r\n}\r\n", Ok, bom: true, file: "kratos.json");
            yield return F("json with trailing comma", "{\"selfservice\": {\"methods\": {},}}\n", Ok, file: "kratos.json");
        }

        [Theory]
        [MemberData(nameof(Files))]
        public void Handled_faithfully_or_refused_untouched(string name, string text, string expect, bool bom, string file)
        {
            var path = TempFile(file, text, bom);
            var original = File.ReadAllBytes(path);
            var t = new ConfigFileTarget(path, null);
            var s = Google();
            ExternalIdpException error = null;
            try { t.Add(null, s, Opt, new RecordingHost()); }
            catch (ExternalIdpException ex) { error = ex; }
            if (expect != Ok)
            {
                Assert.True(error != null, $"{name}: Add succeeded, but {expect} was expected:\n{File.ReadAllText(path)}");
                Assert.True(error.ErrorId == expect, $"{name}: {error.ErrorId}: {error.Message}");
                Assert.Contains(path, error.Message);
                Assert.Equal(original, File.ReadAllBytes(path));
                AssertNoTempFiles(path);
                return;
            }
            Assert.True(error == null, $"{name}: {error?.ErrorId}: {error?.Message}");
            if (name.StartsWith("duplicate key elsewhere", StringComparison.Ordinal))
            {
                // Kratos itself would refuse this file; the module leaves the duplicates as they are and changes only its entry.
                Assert.Equal(2, t.GetIdps(null).Count);
                Assert.Equal(2, KratosReader.Text(path).Split("\nlog:\n").Length - 1);
                t.Remove("test-google", Opt, new RecordingHost());
                Assert.Equal(original, File.ReadAllBytes(path));
                return;
            }
            CheckFaithful(name, path, original, bom);
            var added = KratosReader.Providers(KratosReader.Text(path), null).OfType<JObject>().Single(e => (string)e["id"] == "test-google");
            Assert.Equal(s.ClientId, (string)added["client_id"]);
            Assert.Equal(GoogleSecret, (string)added["client_secret"]);

            t.Set("test-google", new IdpSettings { Label = "Google: staff #1", Scope = new[] { "email" } }, Opt, new RecordingHost());
            CheckFaithful(name, path, original, bom);
            added = KratosReader.Providers(KratosReader.Text(path), null).OfType<JObject>().Single(e => (string)e["id"] == "test-google");
            Assert.Equal("Google: staff #1", (string)added["label"]);

            Assert.True(t.Remove("test-google", Opt, new RecordingHost()));
            CheckFaithful(name, path, original, bom);
            var before = KratosReader.Providers(new UTF8Encoding(false).GetString(original).TrimStart('\uFEFF'), null);
            Assert.True(JToken.DeepEquals(before, KratosReader.Providers(KratosReader.Text(path), null)), $"{name}: the other entries changed");
            // A list that had entries (and OIDC on) comes back byte for byte.
            if (before.Count > 0) Assert.Equal(original, File.ReadAllBytes(path));
            AssertNoTempFiles(path);
        }

        private static void CheckFaithful(string name, string path, byte[] original, bool bom)
        {
            var bytes = File.ReadAllBytes(path);
            Assert.Equal(bom, bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF);
            var text = KratosReader.Text(path);
            var orig = new UTF8Encoding(false).GetString(original, bom ? 3 : 0, original.Length - (bom ? 3 : 0));
            if (path.EndsWith(".json")) JToken.Parse(text);
            bool crlfOnly = orig.Contains("\r\n") && orig.Replace("\r\n", "").IndexOf('\n') < 0;
            if (crlfOnly) Assert.True(text.Replace("\r\n", "").IndexOf('\n') < 0, $"{name}: a lone LF in a CRLF file");
            if (!orig.Contains("\r\n")) Assert.DoesNotContain("\r\n", text);
            if (KratosReader.ProvidersRegion(orig, null) != null && KratosReader.At(KratosReader.Root(orig), null, "selfservice", "methods", "oidc", "enabled") != null)
            {
                var why = KratosReader.OutsideDifference(orig, text, null);
                Assert.True(why == null, $"{name}: {why}");
            }
        }

        [Fact]
        public void A_huge_file_is_edited_in_place()
        {
            var sb = new StringBuilder("# generated\n").Append(Head);
            sb.Append("courier:\n  templates:\n");
            for (int i = 0; i < 20000; i++) sb.Append("    t").Append(i).Append(": \"value number ").Append(i).Append(" with some text to make it long\"   # c\n");
            sb.Append("selfservice:\n  methods:\n    oidc:\n      enabled: true\n      config:\n        providers:\n");
            for (int i = 0; i < 300; i++)
                sb.Append("          - id: p").Append(i).Append("\n            provider: github\n            client_id: c").Append(i)
                  .Append("\n            client_secret: s\n            mapper_url: file:///m.jsonnet\n");
            sb.Append("log:\n  level: debug\n");
            var path = TempFile("kratos.yml", sb.ToString());
            var original = File.ReadAllBytes(path);
            Assert.True(original.Length > 1_000_000);
            var t = new ConfigFileTarget(path, null);
            t.Add(null, Google(), Opt, new RecordingHost());
            t.Set("p150", new IdpSettings { Label = "middle" }, Opt, new RecordingHost());
            Assert.Equal("middle", (string)KratosReader.Providers(KratosReader.Text(path), null)[150]["label"]);
            t.Set("p150", new IdpSettings { Label = "" }, Opt, new RecordingHost());
            t.Remove("test-google", Opt, new RecordingHost());
            Assert.Equal(original, File.ReadAllBytes(path));
            t.Remove("p0", Opt, new RecordingHost());
            var ids = KratosReader.Providers(KratosReader.Text(path), null).Select(e => (string)e["id"]).ToList();
            Assert.Equal(Enumerable.Range(1, 299).Select(i => "p" + i), ids);
            Assert.Null(KratosReader.OutsideDifference(Encoding.UTF8.GetString(original), KratosReader.Text(path), null));
            AssertNoTempFiles(path);
        }

        [Fact]
        public void A_file_that_is_not_utf8_is_refused_untouched()
        {
            foreach (var bytes in new[]
            {
                new byte[] { 0xFF, 0xFE }.Concat(Encoding.Unicode.GetBytes(Normal)).ToArray(),   // UTF-16 with its BOM
                Encoding.Latin1.GetBytes(Normal.Replace("debug", "débug")),
            })
            {
                var path = TempFile("kratos.yml", "");
                File.WriteAllBytes(path, bytes);
                var ex = Assert.Throws<ExternalIdpException>(() => new ConfigFileTarget(path, null).Add(null, Google(), Opt, new RecordingHost()));
                Assert.Equal(ErrorIds.ConfigFileInvalid, ex.ErrorId);
                Assert.Contains("UTF-8", ex.Message);
                Assert.Equal(bytes, File.ReadAllBytes(path));
            }
        }
    }
}
