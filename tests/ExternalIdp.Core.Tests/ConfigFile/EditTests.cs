using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using ExternalIdp.Core;
using ExternalIdp.Core.ConfigFile;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit;
using static ExternalIdp.Core.Tests.ConfigFile.TestSupport;

namespace ExternalIdp.Core.Tests.ConfigFile
{
    /// <summary>How edits look in the text: layouts, styles, quoting, line endings.</summary>
    public class EditTests
    {
        internal const string Base =
            "# Kratos for the demo\n" +
            "version: v1.3.0\n" +
            "serve:\n" +
            "  public:\n" +
            "    base_url: https://auth.example.com/   # public\n" +
            "selfservice:\n" +
            "  methods:\n" +
            "    password:\n" +
            "      enabled: true\n" +
            "    oidc:\n" +
            "      enabled: true\n" +
            "      config:\n" +
            "        providers:\n" +
            "          - id: github # main\n" +
            "            provider: github\n" +
            "            client_id: gh-client\n" +
            "            client_secret: gh-secret\n" +
            "            mapper_url: file:///etc/kratos/github.jsonnet\n" +
            "            scope: [ \"user:email\" ]   # as GitHub wants\n" +
            "            requested_claims:\n" +
            "              id_token:\n" +
            "                email: null   # keep\n" +
            "log:\n" +
            "  level: debug\n";

        private static readonly OperationOptions Opt = new OperationOptions();

        [Fact]
        public void Add_then_remove_restores_the_file_byte_for_byte()
        {
            var path = TempFile("kratos.yml", Base);
            var t = new ConfigFileTarget(path, null);
            var idp = t.Add(null, Google(), Opt, new RecordingHost());
            Assert.Equal("https://auth.example.com/self-service/methods/oidc/callback/test-google", idp.RedirectUri);
            Assert.Equal("Computed", idp.RedirectUriSource);
            var text = File.ReadAllText(path);
            Assert.StartsWith(Base.Substring(0, Base.IndexOf("log:", StringComparison.Ordinal)), text);
            Assert.Contains("                email: null   # keep\n          - id: test-google\n            provider: google\n", text);
            Assert.True(t.Remove("test-google", Opt, new RecordingHost()));
            Assert.Equal(Base, File.ReadAllText(path));
            AssertNoTempFiles(path);
        }

        [Fact]
        public void Crlf_and_bom_are_kept()
        {
            var crlf = Base.Replace("\n", "\r\n");
            var path = TempFile("kratos.yml", crlf, bom: true);
            var t = new ConfigFileTarget(path, null);
            t.Add(null, Apple(), Opt, new RecordingHost());
            t.Set("test-apple", new IdpSettings { Scope = new[] { "email" }, Label = "Sign in with Apple" }, Opt, new RecordingHost());
            var bytes = File.ReadAllBytes(path);
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes.Take(3));
            var text = new System.Text.UTF8Encoding(false).GetString(bytes, 3, bytes.Length - 3);
            for (int i = 0; i < text.Length; i++)
                if (text[i] == '\n') Assert.True(i > 0 && text[i - 1] == '\r', $"lone LF at {i}");
            var apple = EntryOf(path, null, "test-apple");
            Assert.Equal(ApplePem, Scalar(apple, "apple_private_key"));
            Assert.Equal(new[] { "email" }, List(apple, "scope"));
            t.Remove("test-apple", Opt, new RecordingHost());
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }.Concat(new System.Text.UTF8Encoding(false).GetBytes(crlf)), File.ReadAllBytes(path));
        }

        [Theory]
        [InlineData("yes")]
        [InlineData("No")]
        [InlineData("true")]
        [InlineData("off")]
        [InlineData("null")]
        [InlineData("~")]
        [InlineData("0x1F")]
        [InlineData("1e3")]
        [InlineData("0755")]
        [InlineData("12345")]
        [InlineData("1:20")]
        [InlineData(".5")]
        [InlineData("2024-01-31")]
        [InlineData("a: b")]
        [InlineData("a #b")]
        [InlineData("#hash")]
        [InlineData("*star")]
        [InlineData("&amp")]
        [InlineData("!bang")]
        [InlineData("%pct")]
        [InlineData("@at")]
        [InlineData("`tick")]
        [InlineData("-dash")]
        [InlineData("?q")]
        [InlineData("|pipe")]
        [InlineData(">gt")]
        [InlineData("{brace}")]
        [InlineData("[bracket]")]
        [InlineData("x, y")]
        [InlineData("'single'")]
        [InlineData("\"double\"")]
        [InlineData("back\\slash")]
        [InlineData("ends with colon:")]
        [InlineData("Ünïcödé ✓ 😀")]
        [InlineData("<<")]
        public void Values_that_need_quoting_read_back_exactly(string value)
        {
            foreach (var (file, text) in new[] { ("kratos.yml", Base), ("kratos.json", JsonBase) })
            {
                var path = TempFile(file, text);
                var t = new ConfigFileTarget(path, null);
                var s = Generic();
                s.Label = value;
                s.ClientId = value.Trim();
                t.Add(null, s, Opt, new RecordingHost());
                var e = EntryOf(path, null, "test-oidc");
                Assert.Equal(value, Scalar(e, "label"));
                Assert.Equal(value.Trim(), Scalar(e, "client_id"));
                Assert.Equal(OidcSecret, Scalar(e, "client_secret"));
                // And the module reads it back the same way, as a string.
                var idp = t.GetIdps(new RecordingHost()).Single(i => i.Name == "test-oidc");
                Assert.Equal(value, idp.Label);
                Assert.Equal("Valid", idp.Status);
                if (file.EndsWith(".json")) JObject.Parse(File.ReadAllText(path));
                // Set writes the same way.
                t.Set("test-oidc", new IdpSettings { Label = value + "2" }, Opt, new RecordingHost());
                Assert.Equal(value + "2", Scalar(EntryOf(path, null, "test-oidc"), "label"));
            }
        }

        internal const string JsonBase = @"{
  ""serve"": {
    ""public"": {
      ""base_url"": ""https://auth.example.com/prefix""
    }
  },
  ""selfservice"": {
    ""methods"": {
      ""password"": { ""enabled"": true }
    }
  }
}
";

        [Fact]
        public void Json_file_stays_json_through_add_set_remove()
        {
            var path = TempFile("kratos.json", JsonBase);
            var t = new ConfigFileTarget(path, null);
            var g = t.Add(null, Google(), Opt, new RecordingHost());
            Assert.Equal("https://auth.example.com/prefix/self-service/methods/oidc/callback/test-google", g.RedirectUri);
            var j = JObject.Parse(File.ReadAllText(path));
            Assert.True((bool)j["selfservice"]["methods"]["oidc"]["enabled"]);
            Assert.Equal("test-google", (string)j["selfservice"]["methods"]["oidc"]["config"]["providers"][0]["id"]);
            t.Add(null, Entra(), Opt, new RecordingHost());
            t.Set("test-google", new IdpSettings { Label = "G", Scope = new[] { "openid" }, Pkce = "never" }, Opt, new RecordingHost());
            t.Set("test-entra", new IdpSettings { SubjectSource = "" }, Opt, new RecordingHost());
            j = JObject.Parse(File.ReadAllText(path));
            var providers = (JArray)j["selfservice"]["methods"]["oidc"]["config"]["providers"];
            Assert.Equal("G", (string)providers[0]["label"]);
            Assert.Equal("never", (string)providers[0]["pkce"]);
            Assert.Equal(new[] { "openid" }, providers[0]["scope"].Select(x => (string)x));
            Assert.Null(providers[1]["subject_source"]);
            foreach (var p in providers) Assert.Empty(SchemaErrors((JObject)p));
            t.Remove("test-google", Opt, new RecordingHost());
            j = JObject.Parse(File.ReadAllText(path));
            Assert.Single((JArray)j["selfservice"]["methods"]["oidc"]["config"]["providers"]);
            t.Remove("test-entra", Opt, new RecordingHost());
            j = JObject.Parse(File.ReadAllText(path));
            Assert.Empty((JArray)j["selfservice"]["methods"]["oidc"]["config"]["providers"]);
            Assert.StartsWith("{\n  \"serve\": {\n    \"public\": {\n      \"base_url\": \"https://auth.example.com/prefix\"\n    }\n  },\n", File.ReadAllText(path));
        }

        [Theory]
        [InlineData("        providers:\n", "providers:")]
        [InlineData("        providers: ~\n", "providers: ~")]
        [InlineData("        providers: []\n", "providers: []")]
        [InlineData("        providers: [] # none yet\n", "none yet")]
        [InlineData("        base_redirect_uri: https://login.example.com/\n", "base_redirect_uri")]
        public void Empty_or_missing_providers_are_filled_in_place(string providersLine, string marker)
        {
            var text = "selfservice:\n  methods:\n    oidc:\n      enabled: false   # off for now\n      config:\n" + providersLine + "    password:\n      enabled: true\n";
            var path = TempFile("kratos.yml", text);
            var host = new RecordingHost();
            new ConfigFileTarget(path, null).Add(null, Google(), Opt, host);
            var now = File.ReadAllText(path);
            Assert.Contains("      enabled: true   # off for now\n", now);
            Assert.EndsWith("    password:\n      enabled: true\n", now);
            Assert.NotNull(EntryOf(path, null, "test-google"));
            Assert.Contains(host.Verbose, v => v.Contains("enabled") && v.Contains("true"));
            if (marker == "none yet") Assert.Contains("# none yet", now);
            if (marker == "base_redirect_uri")
            {
                Assert.Contains("        base_redirect_uri: https://login.example.com/\n        providers:\n          - id: test-google\n", now);
                Assert.Equal("https://login.example.com/self-service/methods/oidc/callback/test-google",
                    new ConfigFileTarget(path, null).GetRedirectUri("test-google", Opt, host).RedirectUri);
            }
        }

        [Fact]
        public void Missing_enabled_is_inserted_and_reported()
        {
            var path = TempFile("kratos.yml", "selfservice:\n  methods:\n    oidc:\n      config:\n        providers: []\n");
            var host = new RecordingHost();
            Assert.False(new ConfigFileTarget(path, null).GetIdps(host).Any());
            var idp = new ConfigFileTarget(path, null).Add(null, Google(), Opt, host);
            Assert.True(idp.Enabled);
            Assert.Contains(host.Verbose, v => v.Contains("selfservice.methods.oidc.enabled"));
            Assert.Contains("\n      enabled: true", File.ReadAllText(path));
        }

        [Fact]
        public void Removing_the_last_entry_leaves_an_empty_list()
        {
            var path = TempFile("kratos.yml", Base);
            var t = new ConfigFileTarget(path, null);
            t.Remove("github", Opt, new RecordingHost());
            var now = File.ReadAllText(path);
            Assert.Equal(Base.Substring(0, Base.IndexOf("          - id: github", StringComparison.Ordinal)).TrimEnd('\n') .Replace("providers:", "providers: []") + "\nlog:\n  level: debug\n", now);
            Assert.Empty(t.GetIdps(new RecordingHost()));
            t.Add(null, Google(), Opt, new RecordingHost());
            Assert.Contains("        providers:\n          - id: test-google\n", File.ReadAllText(path));
        }

        [Fact]
        public void Flow_style_providers_list_is_edited_with_commas()
        {
            var text = "selfservice:\n  methods:\n    oidc:\n      enabled: true\n      config:\n        providers: [{id: a, provider: github, client_id: x, client_secret: y, mapper_url: \"file:///m\"}]\nlog: {level: info}\n";
            var path = TempFile("kratos.yml", text);
            var t = new ConfigFileTarget(path, null);
            t.Add(null, Google(), Opt, new RecordingHost());
            Assert.Equal(new[] { "a", "test-google" }, ProvidersOf(path, null).Children.Select(c => Scalar((YamlDotNet.RepresentationModel.YamlMappingNode)c, "id")));
            t.Set("a", new IdpSettings { Label = "GitHub, Inc.", Scope = new[] { "user:email" } }, Opt, new RecordingHost());
            var a = EntryOf(path, null, "a");
            Assert.Equal("GitHub, Inc.", Scalar(a, "label"));
            Assert.Equal(new[] { "user:email" }, List(a, "scope"));
            t.Remove("a", Opt, new RecordingHost());
            Assert.Equal(new[] { "test-google" }, ProvidersOf(path, null).Children.Select(c => Scalar((YamlDotNet.RepresentationModel.YamlMappingNode)c, "id")));
            t.Remove("test-google", Opt, new RecordingHost());
            Assert.Equal("selfservice:\n  methods:\n    oidc:\n      enabled: true\n      config:\n        providers: []\nlog: {level: info}\n", File.ReadAllText(path));
        }

        [Fact]
        public void Set_edits_key_by_key_and_keeps_unknown_keys_and_comments()
        {
            var path = TempFile("kratos.yml", Base);
            var host = new RecordingHost();
            var idp = new ConfigFileTarget(path, null).Set("github", new IdpSettings { ClientId = "new-id", Scope = new[] { "read:user", "user:email" }, Label = "GitHub" }, Opt, host);
            Assert.Equal("new-id", idp.ClientId);
            var expected = Base
                .Replace("client_id: gh-client", "client_id: new-id")
                .Replace("scope: [ \"user:email\" ]", "scope: [ \"read:user\", \"user:email\" ]")
                .Replace("                email: null   # keep\n", "                email: null   # keep\n            label: GitHub\n");
            Assert.Equal(expected, File.ReadAllText(path));
            Assert.Single(host.Asked);
            Assert.Contains("github", host.Asked[0].Target);
        }

        [Fact]
        public void Kind_change_drops_keys_and_warns_and_id_change_warns()
        {
            var path = TempFile("kratos.yml", Base);
            var t = new ConfigFileTarget(path, null);
            t.Add(null, Entra(), Opt, new RecordingHost());
            var host = new RecordingHost();
            var idp = t.Set("test-entra", new IdpSettings { Provider = "generic", IssuerUrl = "https://login.example.com/" }, Opt, host);
            Assert.Equal("generic", idp.Provider);
            Assert.Null(idp.TenantId);
            Assert.Null(idp.SubjectSource);
            var e = EntryOf(path, null, "test-entra");
            Assert.Null(Scalar(e, "microsoft_tenant"));
            Assert.Equal(EntraSecret, Scalar(e, "client_secret"));
            Assert.Contains(host.Warnings, w => w.Contains("microsoft_tenant"));

            host = new RecordingHost();
            idp = t.Set("test-entra", new IdpSettings { ProviderId = "corp" }, Opt, host);
            Assert.Equal("corp", idp.Name);
            Assert.Equal("https://auth.example.com/self-service/methods/oidc/callback/corp", idp.RedirectUri);
            Assert.Contains(host.Warnings, w => w.Contains("test-entra") && w.Contains("corp") && w.Contains("redirect URI"));
            Assert.Empty(SchemaErrors((JObject)ToJson(EntryOf(path, null, "corp"))));
        }

        [Fact]
        public void Set_with_the_same_values_changes_nothing_and_asks_nothing()
        {
            var path = TempFile("kratos.yml", Base);
            var host = new RecordingHost();
            var idp = new ConfigFileTarget(path, null).Set("github", new IdpSettings { ClientId = "gh-client", Scope = new[] { "user:email" } }, Opt, host);
            Assert.Equal("github", idp.Name);
            Assert.Empty(host.Asked);
            Assert.Equal(Base, File.ReadAllText(path));
        }

        [Fact]
        public void Declined_should_process_changes_nothing()
        {
            var path = TempFile("kratos.yml", Base);
            var t = new ConfigFileTarget(path, null);
            var no = new RecordingHost { Answer = false };
            Assert.Null(t.Add(null, Google(), Opt, no));
            Assert.Null(t.Set("github", new IdpSettings { Label = "x" }, Opt, no));
            Assert.False(t.Remove("github", Opt, no));
            Assert.Equal(3, no.Asked.Count);
            Assert.Equal("IdP 'test-google' in " + path, no.Asked[0].Target);
            Assert.Equal("Add google provider", no.Asked[0].Action);
            Assert.Equal(Base, File.ReadAllText(path));
        }

        [Fact]
        public void Generated_id_matches_the_charm()
        {
            var path = TempFile("kratos.yml", Base);
            var s = new IdpSettings { Provider = "github", ClientId = "client_id", ClientSecret = TestSecrets.Plain("x") };
            var idp = new ConfigFileTarget(path, null).Add(null, s, Opt, new RecordingHost());
            Assert.Equal("github_96da49381769303a6515a8785c7f19c383db376a", idp.Name);
        }

        [Fact]
        public void Empty_name_means_not_given()
        {
            var path = TempFile("kratos.yml", Base);
            var idp = new ConfigFileTarget(path, null).Add("", Google(), Opt, new RecordingHost());
            Assert.Equal("test-google", idp.Name);
        }

        [Fact]
        public void Name_is_the_provider_id()
        {
            var path = TempFile("kratos.yml", Base);
            var s = Google(); s.ProviderId = null;
            var idp = new ConfigFileTarget(path, null).Add("corp-google", s, Opt, new RecordingHost());
            Assert.Equal("corp-google", idp.ProviderId);
            Assert.NotNull(EntryOf(path, null, "corp-google"));
        }

        [Fact]
        public void Output_objects_and_messages_hold_no_secret()
        {
            var path = TempFile("kratos.yml", Base);
            var t = new ConfigFileTarget(path, null);
            var host = new RecordingHost();
            var all = new[]
            {
                t.Add(null, Google(), Opt, host), t.Add(null, Apple(), Opt, host), t.Add(null, Generic(), Opt, host),
                t.Set("test-google", new IdpSettings { ClientSecret = TestSecrets.Plain("rotated-secret-9") }, Opt, host),
            }.Concat(t.GetIdps(host));
            var json = JsonConvert.SerializeObject(all);
            foreach (var s in Secrets.Concat(new[] { "rotated-secret-9" }))
            {
                Assert.DoesNotContain(s, json);
                Assert.DoesNotContain(host.AllText, x => x.Contains(s));
            }
            Assert.Equal("rotated-secret-9", Scalar(EntryOf(path, null, "test-google"), "client_secret"));
            Assert.True(t.GetIdps(host).Single(i => i.Name == "test-apple").HasApplePrivateKey);
            AssertNoTempFiles(path);
        }

        [Fact]
        public void Four_space_and_bare_dash_layouts_are_followed()
        {
            var text = "selfservice:\n    methods:\n        oidc:\n            enabled: true\n            config:\n                providers:\n                -\n                    id: a\n                    provider: github\n                    client_id: x\n                    client_secret: y\n                    mapper_url: file:///m\n                    scope:\n                    - user:email\n";
            var path = TempFile("kratos.yml", text);
            new ConfigFileTarget(path, null).Add(null, Google(), Opt, new RecordingHost());
            var now = File.ReadAllText(path);
            Assert.StartsWith(text, now);
            Assert.Contains("\n                -\n                    id: test-google\n                    provider: google\n", now);
            Assert.Contains("                    scope:\n                    - email\n                    - profile\n", now);
        }

        [Fact]
        public void Unix_permissions_survive_a_write()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            var path = TempFile("kratos.yml", Base);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            new ConfigFileTarget(path, null).Add(null, Google(), Opt, new RecordingHost());
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }
}

namespace ExternalIdp.Core.Tests.ConfigFile
{
    public class EntryEditTests
    {
        private static readonly OperationOptions Opt = new OperationOptions();

        [Fact]
        public void Unknown_keys_and_comments_inside_the_entry_stay_byte_identical()
        {
            var path = TestSupport.TempCopy(Path.Combine(TestSupport.Corpus, "ory-examples-kratos-nextjs-tailwind__kratos.yml"));
            var original = File.ReadAllText(path);
            new ConfigFileTarget(path, null).Set("google", new IdpSettings { Label = "Google", ClientId = "real-client-id" }, Opt, new RecordingHost());
            var now = File.ReadAllText(path);
            var expected = original
                .Replace("          - id: google # this is `<provider-id>` in the Authorization callback URL. DO NOT CHANGE IT ONCE SET!\n            provider: google\n            client_id: ... # Add the client ID\n",
                         "          - id: google # this is `<provider-id>` in the Authorization callback URL. DO NOT CHANGE IT ONCE SET!\n            provider: google\n            client_id: real-client-id # Add the client ID\n")
                .Replace("                hd: null # If you want the G Suite domain\n", "                hd: null # If you want the G Suite domain\n            label: Google\n");
            Assert.NotEqual(original, expected);
            Assert.Equal(expected, now);
        }

        [Fact]
        public void Empty_scope_removes_the_key_and_block_scalars_are_replaced()
        {
            var text = "selfservice:\n  methods:\n    oidc:\n      enabled: true\n      config:\n        providers:\n" +
                       "          - id: apple\n            provider: apple\n            client_id: com.example\n            apple_team_id: ABCDE12345\n            apple_private_key_id: KEY1234567\n" +
                       "            apple_private_key: |\n              -----BEGIN PRIVATE KEY-----\n              OLDKEY\n              -----END PRIVATE KEY-----\n" +
                       "            scope:\n              - email\n            mapper_url: file:///m\n";
            var path = TestSupport.TempFile("kratos.yml", text);
            var t = new ConfigFileTarget(path, null);
            Assert.Equal("Valid", t.GetIdps(null)[0].Status);
            t.Set("apple", new IdpSettings { Scope = new string[0], ApplePrivateKey = TestSecrets.Plain(TestSupport.ApplePem) }, Opt, new RecordingHost());
            var e = TestSupport.EntryOf(path, null, "apple");
            Assert.Null(TestSupport.List(e, "scope"));
            Assert.Equal(TestSupport.ApplePem, TestSupport.Scalar(e, "apple_private_key"));
            Assert.DoesNotContain("OLDKEY", File.ReadAllText(path));
            Assert.EndsWith("            mapper_url: file:///m\n", File.ReadAllText(path));
            Assert.Equal("Valid", t.GetIdps(null)[0].Status);
        }

        [Fact]
        public void Set_on_a_flow_entry_in_a_block_file()
        {
            var text = "selfservice:\n  methods:\n    oidc:\n      enabled: true\n      config:\n        providers:\n          - {id: a, provider: github, client_id: x, client_secret: y, mapper_url: \"file:///m\"}\n          - {id: b, provider: github, client_id: x, client_secret: y, mapper_url: \"file:///m\"}\n";
            var path = TestSupport.TempFile("kratos.yml", text);
            var t = new ConfigFileTarget(path, null);
            t.Set("a", new IdpSettings { Label = "A: one", Pkce = "force" }, Opt, new RecordingHost());
            Assert.Equal("          - {id: a, provider: github, client_id: x, client_secret: y, mapper_url: \"file:///m\", label: \"A: one\", pkce: force}\n", TestSupport.SplitLines(File.ReadAllText(path))[6]);
            var ex = Assert.Throws<ExternalIdpException>(() => t.Set("a", new IdpSettings { ClientSecret = TestSecrets.Plain("") }, Opt, new RecordingHost()));
            Assert.Equal(ErrorIds.InvalidConfiguration, ex.ErrorId);
            t.Set("a", new IdpSettings { Pkce = "" }, Opt, new RecordingHost());
            Assert.Null(TestSupport.Scalar(TestSupport.EntryOf(path, null, "a"), "pkce"));
            t.Remove("a", Opt, new RecordingHost());
            Assert.Equal(text.Replace("          - {id: a, provider: github, client_id: x, client_secret: y, mapper_url: \"file:///m\"}\n", ""), File.ReadAllText(path));
        }
    }
}

namespace ExternalIdp.Core.Tests.ConfigFile
{
    public class JsonLineEndingTests
    {
        [Fact]
        public void Json_with_crlf_and_bom_keeps_both()
        {
            var crlf = EditTests.JsonBase.Replace("\n", "\r\n");
            var path = TestSupport.TempFile("kratos.json", crlf, bom: true);
            var t = new ConfigFileTarget(path, null);
            t.Add(null, TestSupport.Generic(), new OperationOptions(), new RecordingHost());
            t.Add(null, TestSupport.Google(), new OperationOptions(), new RecordingHost());
            var bytes = File.ReadAllBytes(path);
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes.Take(3));
            var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
            Assert.DoesNotMatch("[^\r]\n", text);
            var j = JObject.Parse(text);
            Assert.Equal(2, ((JArray)j["selfservice"]["methods"]["oidc"]["config"]["providers"]).Count);
            t.Remove("test-oidc", new OperationOptions(), new RecordingHost());
            t.Remove("test-google", new OperationOptions(), new RecordingHost());
            text = Encoding.UTF8.GetString(File.ReadAllBytes(path), 3, File.ReadAllBytes(path).Length - 3);
            Assert.DoesNotMatch("[^\r]\n", text);
            Assert.Empty((JArray)JObject.Parse(text)["selfservice"]["methods"]["oidc"]["config"]["providers"]);
        }
    }
}

namespace ExternalIdp.Core.Tests.ConfigFile
{
    public class LayoutEdgeTests
    {
        private static readonly OperationOptions Opt = new OperationOptions();
        private const string Head = "selfservice:\n  methods:\n    oidc:\n      enabled: true\n      config:\n        providers:\n";

        [Fact]
        public void Comment_after_a_bare_dash()
        {
            var text = Head + "          - # the first one\n            id: a\n            provider: github\n            client_id: x\n            client_secret: y\n            mapper_url: file:///m\n";
            var path = TestSupport.TempFile("kratos.yml", text);
            var t = new ConfigFileTarget(path, null);
            t.Add(null, TestSupport.Google(), Opt, new RecordingHost());
            Assert.StartsWith(text + "          -\n            id: test-google\n", File.ReadAllText(path));
            t.Remove("a", Opt, new RecordingHost());
            Assert.StartsWith(Head + "          -\n            id: test-google\n", File.ReadAllText(path));
        }

        [Fact]
        public void Deleting_the_key_on_the_dash_line()
        {
            var text = Head + "          - label: First\n            id: a\n            provider: github\n            client_id: x\n            client_secret: y\n            mapper_url: file:///m\n";
            var path = TestSupport.TempFile("kratos.yml", text);
            new ConfigFileTarget(path, null).Set("a", new IdpSettings { Label = "" }, Opt, new RecordingHost());
            Assert.Equal(Head + "          - id: a\n            provider: github\n            client_id: x\n            client_secret: y\n            mapper_url: file:///m\n", File.ReadAllText(path));
        }

        [Fact]
        public void Dash_at_the_key_column_and_no_final_newline()
        {
            var text = "selfservice:\n  methods:\n    oidc:\n      enabled: true\n      config:\n        providers:\n        - id: a\n          provider: github\n          client_id: x\n          client_secret: y\n          mapper_url: file:///m";
            var path = TestSupport.TempFile("kratos.yml", text);
            var t = new ConfigFileTarget(path, null);
            t.Add(null, TestSupport.Google(), Opt, new RecordingHost());
            var now = File.ReadAllText(path);
            Assert.StartsWith(text + "\n        - id: test-google\n          provider: google\n", now);
            Assert.False(now.EndsWith("\n"));
            t.Remove("test-google", Opt, new RecordingHost());
            Assert.Equal(text, File.ReadAllText(path));
        }
    }
}
