using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ExternalIdp.Core;
using ExternalIdp.Core.ConfigFile;
using ExternalIdp.Core.Tests.ConfigFile;
using Newtonsoft.Json.Linq;
using Xunit;
using static ExternalIdp.Core.Tests.ConfigFile.TestSupport;

namespace ExternalIdp.Core.Tests.Reliability
{
    /// <summary>
    /// Odd values pasted by operators, in every free-text setting: stored so that a strict YAML/JSON
    /// reader gets exactly the same string back, or refused with InvalidConfiguration and the file untouched.
    /// </summary>
    public class HostileValueTests
    {
        private static readonly OperationOptions Opt = new OperationOptions();

        public static IEnumerable<object[]> Values()
        {
            var list = new List<string>
            {
                "line\nbreak", "cr\rreturn", "crlf\r\nend", "trailing newline\n", "\nleading newline", "tab\there", "\ttab first",
                "bell\u0007", "nul\u0000byte", "esc\u001b[31mred", "del\u007f", "nel\u0085next", "ls\u2028sep", "ps\u2029sep",
                "bom\ufeffinside", "zero\u200bwidth", "rtl \u202eevil", "lone \ud800 surrogate", "emoji 😀 and ✓ Ünïcödé", "日本語のラベル",
                "a: b", "a #b", "a# b", "ends with colon:", "ends with hash #", "'single'", "\"double\"", "it's", "say \"hi\"", "back\\slash\\",
                "*star", "&amp", "!bang", "%pct", "@at", "`tick", "|pipe", ">fold", "?q", "-dash", "- item", "---", "...", "[x]", "{x: y}", "#hash",
                "yes", "no", "No", "on", "OFF", "y", "null", "Null", "~", "true", "0x1F", "0o17", "017", "1e3", "1E-3", ".5", "-.inf", ".NaN",
                "1_000", "1:20:30", "2024-01-31", "2001-12-14t21:59:43.10-05:00", "<<", "=", "  leading spaces", "trailing spaces  ", " ",
                "${ENV_VAR}", "{{ .Values.x }}", "%YAML 1.2", "\"unterminated", "'unterminated", "a,b", "key: [1, 2]",
                new string('x', 5000), string.Concat(Enumerable.Repeat("long: #value 'q' \"d\" ✓ ", 3000)),
            };
            return list.Select(v => new object[] { v });
        }

        private static string Show(string v) => v.Length > 40 ? IdpRules.Printable(v.Substring(0, 40)) + $"...({v.Length})" : IdpRules.Printable(v);

        [Theory]
        [MemberData(nameof(Values))]
        public void Stored_exactly_or_refused_with_the_file_untouched(string value)
        {
            foreach (var (file, text) in new[] { ("kratos.yml", EditTests.Base), ("kratos.json", EditTests.JsonBase) })
            {
                foreach (var field in new[] { "label", "client_id", "client_secret", "scope" })
                {
                    if (field == "client_secret" && value.Length > 65000) continue; // a SecureString holds at most 65536 characters
                    var path = TempFile(file, text);
                    var t = new ConfigFileTarget(path, null);
                    var s = Generic();
                    switch (field)
                    {
                        case "label": s.Label = value; break;
                        case "client_id": s.ClientId = value; break;
                        case "client_secret": s.ClientSecret = TestSecrets.Plain(value); break;
                        case "scope": s.Scope = new[] { "openid", value }; break;
                    }
                    var before = File.ReadAllBytes(path);
                    ExternalIdpException refused = null;
                    try { t.Add(null, s, Opt, new RecordingHost()); }
                    catch (ExternalIdpException ex) { refused = ex; }
                    var what = $"{field} = '{Show(value)}' in {file}";
                    if (refused != null)
                    {
                        Assert.True(refused.ErrorId == ErrorIds.InvalidConfiguration, $"{what}: refused with {refused.ErrorId}: {refused.Message}");
                        Assert.True(before.SequenceEqual(File.ReadAllBytes(path)), $"{what}: refused, but the file changed");
                        Assert.DoesNotContain(TestSupport.OidcSecret, refused.Message);
                        if (field == "client_secret" && value.Trim().Length >= 3) Assert.DoesNotContain(value.Trim(), refused.Message);
                        AssertNoTempFiles(path);
                        continue;
                    }
                    var after = KratosReader.Text(path);
                    var entry = KratosReader.Providers(after, null).OfType<JObject>().SingleOrDefault(e => (string)e["id"] == "test-oidc");
                    Assert.True(entry != null, $"{what}: the entry does not read back");
                    var expected = field == "scope" ? (JToken)new JArray("openid", value) : new JValue(value);
                    Assert.True(JToken.DeepEquals(expected, entry[field]), $"{what}: reads back as {entry[field]?.ToString(Newtonsoft.Json.Formatting.None)}");
                    if (file.EndsWith(".json")) JObject.Parse(after);
                    var idp = t.GetIdps(new RecordingHost()).Single(i => i.Name == "test-oidc");
                    // A template placeholder is stored as given; Get points it out (Kratos doesn't expand it).
                    Assert.True(idp.Status == "Valid" || idp.StatusMessage.Contains("placeholder"), $"{what}: {idp.StatusMessage}");
                    // Set writes the same way over the existing value.
                    var changed = new IdpSettings();
                    switch (field)
                    {
                        case "label": changed.Label = value + "2"; break;
                        case "client_id": changed.ClientId = value + "2"; break;
                        case "client_secret": changed.ClientSecret = TestSecrets.Plain(value + "2"); break;
                        case "scope": changed.Scope = new[] { value + "2" }; break;
                    }
                    t.Set("test-oidc", changed, Opt, new RecordingHost());
                    entry = KratosReader.Providers(KratosReader.Text(path), null).OfType<JObject>().Single(e => (string)e["id"] == "test-oidc");
                    expected = field == "scope" ? (JToken)new JArray(value + "2") : new JValue(value + "2");
                    Assert.True(JToken.DeepEquals(expected, entry[field]), $"{what}: after Set reads back as {entry[field]?.ToString(Newtonsoft.Json.Formatting.None)}");
                    AssertNoTempFiles(path);
                }
            }
        }
    }
}
