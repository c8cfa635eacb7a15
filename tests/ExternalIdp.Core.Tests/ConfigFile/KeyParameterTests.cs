using System;
using System.Collections;
using System.IO;
using System.Linq;
using ExternalIdp.Core;
using ExternalIdp.Core.ConfigFile;
using Newtonsoft.Json.Linq;
using Xunit;
using static ExternalIdp.Core.Tests.ConfigFile.TestSupport;

namespace ExternalIdp.Core.Tests.ConfigFile
{
    /// <summary>
    /// The parameters for B2B and enterprise IdPs on a config file: -RequestedClaims, -OrganizationId,
    /// -AdditionalIdTokenAudiences, -AuthUrl, -TokenUrl, -AccountLinkingMode: written in the table's
    /// order, shown on KratosIdp, changed and removed by Set, checked before anything changes.
    /// </summary>
    public class KeyParameterTests
    {
        private const string Config =
            "version: v26.2.0\n" +
            "serve:\n" +
            "  public:\n" +
            "    base_url: https://auth.example.com/\n" +
            "selfservice:\n" +
            "  methods:\n" +
            "    oidc:\n" +
            "      enabled: true\n" +
            "      config:\n" +
            "        providers: []\n";

        private static readonly OperationOptions Opt = new OperationOptions();

        private static IdpSettings Corp()
        {
            var s = Generic();
            s.ProviderId = "corp";
            s.Pkce = null;
            s.MapperUrl = null;
            s[FieldTable.AuthUrl] = SettingValue.Of("https://sso.example.com/oauth2/authorize?tenant=main");
            s[FieldTable.TokenUrl] = SettingValue.Of("https://sso.example.com/oauth2/token");
            s[FieldTable.RequestedClaims] = SettingValue.OfStructure(Samples.Claims());
            s[FieldTable.OrganizationId] = SettingValue.Of(Samples.OrganizationId);
            s[FieldTable.AdditionalIdTokenAudiences] = SettingValue.Of(new[] { "web-client", "ios-client" });
            s[FieldTable.AccountLinkingMode] = SettingValue.Of("automatic");
            return s;
        }

        [Fact]
        public void Add_writes_them_in_the_table_order_Kratos_accepts_and_Get_shows_them()
        {
            var path = TempFile("kratos.yml", Config);
            var t = new ConfigFileTarget(path, null);
            var idp = t.Add(null, Corp(), Opt, new RecordingHost());

            var text = File.ReadAllText(path);
            var keys = new[] { "scope:", "mapper_url:", "auth_url:", "token_url:", "requested_claims:", "organization_id:", "additional_id_token_audiences:", "account_linking_mode:" };
            var at = keys.Select(k => text.IndexOf("            " + k, StringComparison.Ordinal)).ToList();
            Assert.All(at, i => Assert.True(i > 0));
            Assert.Equal(at.OrderBy(i => i), at);
            var entry = KratosSchema.EntryOf(path, "corp");
            Assert.Empty(KratosSchema.Errors(entry, "v26.2.0"));
            Assert.True(JToken.DeepEquals(JObject.Parse(@"{""id_token"": {""email"": null, ""email_verified"": {""essential"": true}},
                ""userinfo"": {""acr"": {""values"": [""urn:mace:incommon:iap:silver"", ""urn:a""]}, ""given_name"": {""essential"": false}}}"), entry["requested_claims"]), entry["requested_claims"].ToString());
            Assert.Equal(new[] { "web-client", "ios-client" }, entry["additional_id_token_audiences"].Select(x => (string)x));

            foreach (var shown in new[] { idp, Assert.Single(t.GetIdps(SilentHost.Instance)) })
            {
                Assert.Equal("https://sso.example.com/oauth2/authorize?tenant=main", shown.AuthUrl);
                Assert.Equal("https://sso.example.com/oauth2/token", shown.TokenUrl);
                Assert.True(JToken.DeepEquals(entry["requested_claims"], JToken.Parse(shown.RequestedClaims)));
                Assert.Equal(Samples.OrganizationId, shown.OrganizationId);
                Assert.Equal(new[] { "web-client", "ios-client" }, shown.AdditionalIdTokenAudiences);
                Assert.Equal("automatic", shown.AccountLinkingMode);
                Assert.Empty(shown.OtherSettings);
                Assert.Empty(shown.Problems);
                // An organization's provider calls back on its own path.
                Assert.Equal($"https://auth.example.com/self-service/methods/oidc/organization/{Samples.OrganizationId}/callback/corp", shown.RedirectUri);
            }
            Assert.Equal($"https://auth.example.com/self-service/methods/oidc/organization/{Samples.OrganizationId}/callback/corp",
                t.GetRedirectUri("corp", Opt, SilentHost.Instance).RedirectUri);
        }

        [Fact]
        public void Set_changes_and_removes_them_and_keeps_the_rest_of_the_file()
        {
            var path = TempFile("kratos.yml", Config);
            var t = new ConfigFileTarget(path, null);
            t.Add(null, Google(), Opt, new RecordingHost());
            var before = File.ReadAllText(path);

            var change = new IdpSettings
            {
                [FieldTable.RequestedClaims] = SettingValue.Of("{\"userinfo\": {\"groups\": null}}"),
                [FieldTable.AdditionalIdTokenAudiences] = SettingValue.Of(new[] { "android" }),
                [FieldTable.AccountLinkingMode] = SettingValue.Of("confirm_with_existing_credential"),
                [FieldTable.OrganizationId] = SettingValue.Of(Samples.OrganizationId),
            };
            var host = new RecordingHost();
            var idp = t.Set("test-google", change, Opt, host);
            // The callback moved: a warning says where to, since it must be registered at the IdP.
            Assert.Equal($"The redirect URI of 'test-google' is now https://auth.example.com/self-service/methods/oidc/organization/{Samples.OrganizationId}/callback/test-google (it was https://auth.example.com/self-service/methods/oidc/callback/test-google): register it at the identity provider, or sign-in fails with a redirect URI mismatch.",
                Assert.Single(host.Warnings));
            Assert.Equal("{\"userinfo\": {\"groups\": null}}", idp.RequestedClaims);
            Assert.Equal($"https://auth.example.com/self-service/methods/oidc/organization/{Samples.OrganizationId}/callback/test-google", idp.RedirectUri);
            Assert.Contains("            requested_claims: {\"userinfo\": {\"groups\": null}}\n", File.ReadAllText(path));
            Assert.Empty(KratosSchema.Errors(KratosSchema.EntryOf(path, "test-google"), "v26.2.0"));

            // The same again changes nothing; a hashtable with the same content is the same value.
            var written = File.ReadAllText(path);
            t.Set("test-google", new IdpSettings { [FieldTable.RequestedClaims] = SettingValue.OfStructure(new Hashtable { ["userinfo"] = new Hashtable { ["groups"] = null } }) }, Opt, new RecordingHost());
            Assert.Equal(written, File.ReadAllText(path));

            // Empty values remove them: the file is what it was before.
            var clear = new IdpSettings
            {
                [FieldTable.RequestedClaims] = SettingValue.Of(""),
                [FieldTable.AdditionalIdTokenAudiences] = SettingValue.Of(new string[0]),
                [FieldTable.AccountLinkingMode] = SettingValue.Of(""),
                [FieldTable.OrganizationId] = SettingValue.Of(""),
            };
            var cleared = t.Set("test-google", clear, Opt, new RecordingHost());
            Assert.Equal(before, File.ReadAllText(path));
            Assert.Null(cleared.RequestedClaims);
            Assert.Empty(cleared.AdditionalIdTokenAudiences);
            Assert.Equal("https://auth.example.com/self-service/methods/oidc/callback/test-google", cleared.RedirectUri);
        }

        [Theory]
        [InlineData("kratos.json", "{\n  \"version\": \"v26.2.0\",\n  \"selfservice\": {\"methods\": {\"oidc\": {\"enabled\": true, \"config\": {\"providers\": []}}}}\n}\n")]
        [InlineData("kratos.yml", "version: v26.2.0\nselfservice: {methods: {oidc: {enabled: true, config: {providers: [{id: a, provider: github, client_id: x, client_secret: y, mapper_url: 'file:///m.jsonnet'}]}}}}\n")]
        public void Json_files_and_flow_style_take_them_too(string name, string text)
        {
            var path = TempFile(name, text);
            var t = new ConfigFileTarget(path, null);
            t.Add(null, Corp(), Opt, new RecordingHost());
            if (name.EndsWith(".json")) JObject.Parse(File.ReadAllText(path));
            var entry = KratosSchema.EntryOf(path, "corp");
            Assert.Empty(KratosSchema.Errors(entry, "v26.2.0"));
            Assert.Equal(true, (bool)entry["requested_claims"]["id_token"]["email_verified"]["essential"]);
            t.Set("corp", new IdpSettings { [FieldTable.RequestedClaims] = SettingValue.Of("{\"id_token\": {\"acr\": {\"value\": \"urn:x\"}}}") }, Opt, new RecordingHost());
            Assert.Equal("urn:x", (string)KratosSchema.EntryOf(path, "corp")["requested_claims"]["id_token"]["acr"]["value"]);
        }

        [Fact]
        public void Text_Kratos_would_misread_is_written_so_that_it_reads_back_the_same()
        {
            var path = TempFile("kratos.yml", Config);
            var t = new ConfigFileTarget(path, null);
            var odd = "a \"quoted\" #value: with\ttab, line\nbreak, \u2028, \u0085 and ü";
            var s = Google();
            s[FieldTable.RequestedClaims] = SettingValue.OfStructure(new Hashtable { ["id_token"] = new Hashtable { ["x"] = new Hashtable { ["value"] = odd, ["values"] = new object[] { 1, 2.5, true, null, "null" } } } });
            t.Add(null, s, Opt, new RecordingHost());
            var claim = KratosSchema.EntryOf(path, "test-google")["requested_claims"]["id_token"]["x"];
            Assert.Equal(odd, (string)claim["value"]);
            Assert.True(JToken.DeepEquals(JArray.Parse("[1, 2.5, true, null, \"null\"]"), claim["values"]), claim["values"].ToString());
        }

        public static TheoryData<string, object, string> BadValues => new TheoryData<string, object, string>
        {
            { "RequestedClaims", "{id_token", "-RequestedClaims is not JSON" },
            { "RequestedClaims", "[1, 2]", "-RequestedClaims is not a claims request Kratos accepts: it is not an object" },
            { "RequestedClaims", "{\"id_token\": {\"email\": true}}", "claim 'id_token.email' is neither null nor an object" },
            { "RequestedClaims", "{\"userinfo\": {\"email\": {\"essential\": \"yes\"}}}", "'userinfo.email.essential' is not a boolean" },
            { "RequestedClaims", "{\"userinfo\": {\"email\": {\"required\": true}}}", "has 'required' (only essential, value and values are allowed)" },
            { "OrganizationId", "acme", "-OrganizationId 'acme' is not an organization id" },
            { "AuthUrl", "/oauth2/authorize", "-AuthUrl '/oauth2/authorize' is not an absolute http(s) URL" },
            { "TokenUrl", "https://sso.example.com/token#x", "-TokenUrl 'https://sso.example.com/token#x' carries a fragment" },
            { "AdditionalIdTokenAudiences", new[] { "web client" }, "-AdditionalIdTokenAudiences 'web client' contains white space" },
            { "AdditionalIdTokenAudiences", new[] { "" }, "-AdditionalIdTokenAudiences holds an empty item" },
            { "AccountLinkingMode", "auto", "-AccountLinkingMode 'auto' is not valid: use one of confirm_with_existing_credential, automatic." },
        };

        [Theory]
        [MemberData(nameof(BadValues))]
        public void Bad_values_are_refused_before_anything_changes(string parameter, object value, string message)
        {
            var path = TempFile("kratos.yml", Config);
            var t = new ConfigFileTarget(path, null);
            t.Add(null, Google(), Opt, new RecordingHost());
            var before = File.ReadAllText(path);
            var f = FieldTable.Default.ByParameter(parameter);
            SettingValue v = value is string[] items ? SettingValue.Of(items) : SettingValue.Of((string)value);
            var add = Google();
            add.ProviderId = "other";
            add[f] = v;
            foreach (var e in new[]
            {
                Assert.Throws<ExternalIdpException>(() => t.Add(null, add, Opt, new RecordingHost())),
                Assert.Throws<ExternalIdpException>(() => t.Set("test-google", new IdpSettings { [f] = v }, Opt, new RecordingHost())),
            })
            {
                Assert.Equal(ErrorIds.InvalidConfiguration, e.ErrorId);
                Assert.Contains(message, e.Message);
            }
            Assert.Equal(before, File.ReadAllText(path));
        }
    }
}
