using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ExternalIdp.Core;
using ExternalIdp.Core.Checks;
using ExternalIdp.Core.ConfigFile;
using ExternalIdp.Core.Juju;
using ExternalIdp.Core.Tests.ConfigFile;
using Newtonsoft.Json.Linq;
using Xunit;

namespace ExternalIdp.Core.Tests.Rules
{
    /// <summary>
    /// The field table is the one list of provider settings: a row added to it alone is written by Add
    /// and Set in its place, read back by Get, checked and counted as given. And its facts are Kratos's
    /// own: the keys, types, enum values and first releases of the schema at each release.
    /// </summary>
    public class FieldTableTests
    {
        private const string Config = "selfservice:\n  methods:\n    oidc:\n      enabled: true\n      config:\n        providers: []\n";

        /// <summary>A row that no part of the module knows by name: only the table has it.</summary>
        private static readonly Field MadeUp = new Field("made_up_key", FieldType.Text, parameter: "MadeUpSetting", check: (f, v) => v == "bad" ? $"{f.Flag} is bad." : null);

        private static readonly FieldTable Table = FieldTable.Default.With(MadeUp, after: FieldTable.ClientId);

        private static IdpSettings Settings(string value)
        {
            var s = new IdpSettings(Table)
            {
                Provider = "google", ProviderId = "g", ClientId = "client", ClientSecret = TestSecrets.Plain("google-secret-1"),
            };
            s[MadeUp] = SettingValue.Of(value);
            return s;
        }

        [Fact]
        public void A_row_added_to_the_table_alone_is_written_by_Add_and_Set_and_listed_by_Get()
        {
            var path = TestSupport.TempFile("kratos.yml", Config);
            var target = new ConfigFileTarget(path, null, Table);

            var added = target.Add(null, Settings("made up value"), new OperationOptions(), SilentHost.Instance);
            // Written in its place in the table: right after client_id.
            Assert.Contains("client_id: client\n            made_up_key: made up value\n            client_secret: google-secret-1\n", File.ReadAllText(path));
            Assert.Equal("made up value", added.OtherSettings["made_up_key"]);
            Assert.Empty(added.Problems); // a key of the table is no unknown key

            var change = new IdpSettings(Table);
            change[MadeUp] = SettingValue.Of("changed");
            Assert.Equal(new[] { "MadeUpSetting" }, change.GivenParameters());
            target.Set("g", change, new OperationOptions(), SilentHost.Instance);
            var got = Assert.Single(target.GetIdps(SilentHost.Instance));
            Assert.Equal("changed", got.OtherSettings["made_up_key"]);
            Assert.Equal("Valid", got.Status);

            // Its check runs; an empty value removes it, as for every optional setting.
            var bad = Assert.Throws<ExternalIdpException>(() => target.Set("g", new IdpSettings(Table) { [MadeUp] = SettingValue.Of("bad") }, new OperationOptions(), SilentHost.Instance));
            Assert.Equal("-MadeUpSetting is bad.", bad.Message);
            target.Set("g", new IdpSettings(Table) { [MadeUp] = SettingValue.Of("") }, new OperationOptions(), SilentHost.Instance);
            Assert.DoesNotContain("made_up_key", File.ReadAllText(path));
            Assert.False(Assert.Single(target.GetIdps(SilentHost.Instance)).OtherSettings.ContainsKey("made_up_key"));
        }

        [Fact]
        public void Without_the_row_its_key_is_unknown_to_Kratos()
        {
            // The same file read through the module's own table: the key is one Kratos would reject.
            var path = TestSupport.TempFile("kratos.yml", Config);
            new ConfigFileTarget(path, null, Table).Add(null, Settings("x"), new OperationOptions(), SilentHost.Instance);
            var idp = Assert.Single(new ConfigFileTarget(path, null).GetIdps(SilentHost.Instance));
            Assert.Contains("unknown key 'made_up_key' (Kratos rejects keys its schema doesn't list)", idp.Problems);
        }

        [Fact]
        public void Settings_without_a_property_show_in_OtherSettings_and_secrets_never_do()
        {
            var path = TestSupport.TempFile("kratos.yml", Config.Replace("providers: []", @"providers:
          - id: kc
            provider: generic
            client_id: c
            client_secret: very-secret-value
            issuer_url: https://sso.example.com
            mapper_url: base64://e30=
            auth_url: https://sso.example.com/auth
            requested_claims: {id_token: {email: {essential: true}}}
            additional_id_token_audiences: [a, b]
            fedcm_config_url: https://sso.example.com/fedcm.json
            net_id_token_origin_header: https://app.example.com
"));
            var idp = Assert.Single(new ConfigFileTarget(path, null).GetIdps(SilentHost.Instance));
            Assert.Equal(new[] { "fedcm_config_url", "net_id_token_origin_header" }, idp.OtherSettings.Keys);
            Assert.Equal("https://sso.example.com/fedcm.json", idp.OtherSettings["fedcm_config_url"]);
            Assert.Equal("https://app.example.com", idp.OtherSettings["net_id_token_origin_header"]);
            // Settings with a property show there, whatever their type.
            Assert.Equal("https://sso.example.com/auth", idp.AuthUrl);
            Assert.Equal("{\"id_token\": {\"email\": {\"essential\": true}}}", idp.RequestedClaims);
            Assert.Equal(new[] { "a", "b" }, idp.AdditionalIdTokenAudiences);
            Assert.True(idp.HasClientSecret);
            Assert.DoesNotContain("very-secret-value", Newtonsoft.Json.JsonConvert.SerializeObject(idp));
            Assert.Empty(idp.Problems);
        }

        [Fact]
        public void A_row_without_a_charm_option_is_a_parameter_the_charm_refuses()
        {
            var charm = new CharmRules(Table);
            Assert.Equal(new[] { "SubjectSource", "MadeUpSetting", "ClaimsSource", "Pkce", "AuthUrl", "TokenUrl", "RequestedClaims", "OrganizationId", "AdditionalIdTokenAudiences", "AccountLinkingMode" }.OrderBy(x => x),
                charm.UnsupportedParameters.OrderBy(x => x));
            var e = Assert.Throws<ExternalIdpException>(() => IdpRequest.ForAdd(Settings("x"), charm));
            Assert.Equal(ErrorIds.ParameterNotSupported, e.ErrorId);
            Assert.Contains("-MadeUpSetting can't be set on Juju", e.Message);
            Assert.Contains("the kratos-external-idp-integrator charm has no option for it (it has no made_up_key)", e.Message);
        }

        [Fact]
        public void Each_property_a_row_names_is_a_KratosIdp_property_of_its_type()
        {
            foreach (var f in FieldTable.Default.Rows.Where(f => f.Property != null))
            {
                var p = typeof(KratosIdp).GetProperty(f.Property);
                Assert.True(p != null, $"{f.Key}: KratosIdp has no {f.Property}");
                var expected = f.IsSecret ? typeof(bool) : f.Type == FieldType.List ? typeof(string[]) : typeof(string);
                Assert.True(expected == p.PropertyType, $"{f.Key}: {f.Property} is {p.PropertyType.Name}, not {expected.Name}");
            }
        }

        [Fact]
        public void Parameters_and_options_name_one_row_each()
        {
            var t = FieldTable.Default;
            Assert.Equal(t.Parameters.Count(), t.Parameters.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            foreach (var f in t.WithParameter) Assert.Same(f, t.ByParameter(f.Parameter));
            foreach (var f in t.Rows.Where(f => f.CharmOption != null)) Assert.Same(f, t.ByCharmOption(f.CharmOption));
            Assert.Same(FieldTable.MapperUrl, t.ByParameter("JsonnetMapper"));
        }

        // ---------------------------------------------------------------- the facts are Kratos's

        private static JObject Properties(string file, out JArray required)
        {
            var root = JObject.Parse(File.ReadAllText(Path.Combine(Reference.Dir, file)));
            var provider = (JObject)root.Descendants().OfType<JObject>().First(o => o["properties"] is JObject p && p["client_id"] != null);
            required = provider["required"] as JArray ?? new JArray();
            return (JObject)provider["properties"];
        }

        [Fact]
        public void The_rows_are_the_keys_of_Kratos_schema_with_its_types()
        {
            var props = Properties("kratos-oidc.schema.json", out var required);
            Assert.Equal(props.Properties().Select(p => p.Name).OrderBy(k => k), FieldTable.Default.Rows.Select(f => f.Key).OrderBy(k => k));
            Assert.Equal(required.Select(r => (string)r).OrderBy(k => k), FieldTable.Default.Rows.Where(f => f.RequiredByKratos).Select(f => f.Key).OrderBy(k => k));
            foreach (var f in FieldTable.Default.Rows)
            {
                var p = (JObject)props[f.Key];
                var enumValues = p["enum"]?.Select(v => (string)v).ToList();
                if (f.Type == FieldType.Enum) Assert.Equal(enumValues, f.Values);
                else if (f != FieldTable.Provider) Assert.True(enumValues == null, $"{f.Key} is an enum in Kratos's schema");
                Assert.Equal((string)p["type"] == "array", f.Type == FieldType.List);
                Assert.Equal((string)p["format"] == "uri", f.Type == FieldType.Url);
                Assert.Equal(p["type"] == null, f.Type == FieldType.Json);
            }
        }

        public static IEnumerable<object[]> Releases() => KratosReleases.All.Skip(1)
            .Where(r => File.Exists(Path.Combine(Reference.Dir, "kratos-oidc-schemas", r + ".json")))
            .Select(r => new object[] { r });

        [Theory]
        [MemberData(nameof(Releases))]
        public void Each_release_accepts_exactly_the_keys_kinds_and_values_the_table_and_catalog_give_it(string release)
        {
            var props = Properties(Path.Combine("kratos-oidc-schemas", release + ".json"), out _);
            KratosReleases.TryParse(release, out var v);
            foreach (var f in FieldTable.Default.Rows)
            {
                Assert.True(props[f.Key] != null == KratosReleases.Accepts(v, KratosReleases.KeyFirstRelease(f.Key)), $"{release}: {f.Key}");
                if (props[f.Key] == null) continue;
                foreach (var value in f.Values)
                {
                    var since = KratosReleases.ValueFirstRelease(f.Key, value) ?? KratosReleases.KeyFirstRelease(f.Key);
                    Assert.True(props[f.Key]["enum"].Any(x => (string)x == value) == KratosReleases.Accepts(v, since), $"{release}: {f.Key} '{value}'");
                }
            }
            var kinds = props["provider"]["enum"].Select(x => (string)x).ToList();
            foreach (var k in ProviderCatalog.All)
                Assert.True(kinds.Contains(k.Name) == KratosReleases.Accepts(v, KratosReleases.KindFirstRelease(k.Name)), $"{release}: provider {k.Name}");
        }
    }
}
