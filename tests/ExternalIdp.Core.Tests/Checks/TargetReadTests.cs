using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using ExternalIdp.Core.Checks;
using ExternalIdp.Core.ConfigFile;
using ExternalIdp.Core.Tests.ConfigFile;
using ExternalIdp.Core.Tests.Juju;
using Xunit;
using static ExternalIdp.Core.Tests.Checks.CheckSupport;
using R = ExternalIdp.KratosIdpCheckResult;

namespace ExternalIdp.Core.Tests.Checks
{
    /// <summary>What the two targets hand Test-KratosIdp (ReadForChecks), checked offline.</summary>
    public class TargetReadTests
    {
        private static Dictionary<string, KratosIdpCheck> Offline(CheckInput input, string name, string version = null)
        {
            using var checker = Checker(offline: true, version: version);
            return Run(checker, input.Idps.Single(s => s.Idp.Name == name), input);
        }

        private static string ConfigFolder()
        {
            var dir = Path.Combine(Path.GetTempPath(), "eidp-check-" + Guid.NewGuid().ToString("N").Substring(0, 10));
            Directory.CreateDirectory(Path.Combine(dir, "mappers"));
            File.Copy(Path.Combine(TestSupport.Reference, "identity-schemas", "ory-kratos-quickstart-email-password__identity.schema.json"), Path.Combine(dir, "identity.schema.json"));
            File.WriteAllText(Path.Combine(dir, "mappers", "kc.jsonnet"), "local c = std.extVar('claims'); { identity: { traits: { email: c.email } } }");
            return dir;
        }

        [Fact]
        public void A_config_file_gives_its_version_identity_schema_folder_and_entries()
        {
            var dir = ConfigFolder();
            var google = DefaultMapper.UrlFor(ProviderCatalog.Resolve("google"));
            var path = Path.Combine(dir, "kratos.yml");
            File.WriteAllText(path, $@"version: v1.2.0
identity:
  default_schema_id: customer
  schemas:
    - id: default
      url: file:///nonexistent/default.schema.json
    - id: customer
      url: file://identity.schema.json
selfservice:
  methods:
    oidc:
      enabled: true
      config:
        providers:
          - id: google
            provider: google
            client_id: 123.apps.googleusercontent.com
            client_secret: {ClientSecret}
            mapper_url: {google}
          - id: kc
            provider: generic
            client_id: kratos
            client_secret: ${{KC_SECRET}}
            issuer_url: https://sso.example.com/realms/main
            mapper_url: file://mappers/kc.jsonnet
            pkce: auto
");
            var input = new ConfigFileTarget(path, null).ReadForChecks(SilentHost.Instance);
            Assert.Equal("v1.2.0", input.KratosVersion);
            Assert.Equal("the config file's version: key", input.KratosVersionSource);
            Assert.Equal("file://identity.schema.json", input.IdentitySchemaUrl);
            Assert.Equal("identity.schemas, id 'customer'", input.IdentitySchemaSource);
            Assert.Equal(dir, input.BaseFolder);
            Assert.Equal(new[] { "google", "kc" }, input.Idps.Select(s => s.Idp.Name));
            Assert.Equal(path, input.Idps[0].Idp.ConfigPath);

            var g = Offline(input, "google");
            AssertResult(g, CheckNames.Settings, R.Pass);
            AssertResult(g, CheckNames.KratosVersion, R.Pass, "Kratos v1.2.0 (the config file's version: key)");
            AssertResult(g, CheckNames.IdentitySchema, R.Pass, Path.Combine(dir, "identity.schema.json"));

            var kc = Offline(input, "kc");
            AssertResult(kc, CheckNames.Settings, R.Fail, "'client_secret' holds a template placeholder");
            AssertResult(kc, CheckNames.KratosVersion, R.Fail, "key 'pkce' (from v1.3.0)");
            AssertResult(kc, CheckNames.Mapper, R.Pass, Path.Combine(dir, "mappers", "kc.jsonnet"));
            AssertResult(kc, CheckNames.IdentitySchema, R.Skipped, "is your own");
            foreach (var c in g.Values.Concat(kc.Values)) Assert.DoesNotContain(ClientSecret, c.Message);
        }

        [Fact]
        public void Older_and_odd_config_files()
        {
            var dir = ConfigFolder();
            string Write(string text) { var p = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".yml"); File.WriteAllText(p, text); return p; }
            const string Providers = @"
selfservice:
  methods:
    oidc:
      config:
        providers:
          - id: gh
            provider: github
            client_id: x
            client_secret: gh-secret
            mapper_url: file://mappers/kc.jsonnet
";
            var old = new ConfigFileTarget(Write("identity:\n  default_schema_url: file://identity.schema.json\n" + Providers), null).ReadForChecks(null);
            Assert.Equal("file://identity.schema.json", old.IdentitySchemaUrl);
            Assert.Equal("identity.default_schema_url", old.IdentitySchemaSource);
            Assert.Null(old.KratosVersion);
            Assert.Contains("no version: key", old.NoKratosVersionReason);
            // The OIDC method is off: Kratos offers none of the IdPs.
            AssertResult(Offline(old, "gh"), CheckNames.Settings, R.Warning, "selfservice.methods.oidc.enabled is not true");

            var missing = new ConfigFileTarget(Write("identity:\n  schemas:\n    - id: other\n      url: file://x.json\n" + Providers), null).ReadForChecks(null);
            Assert.Null(missing.IdentitySchemaUrl);
            Assert.Contains("no schema with id 'default'", missing.NoIdentitySchemaReason);

            var none = new ConfigFileTarget(Write("version: 1.3\n" + Providers), null).ReadForChecks(null);
            Assert.Equal("1.3", none.KratosVersion); // a YAML number, read as written
            Assert.Contains("names no identity schema", none.NoIdentitySchemaReason);

            var nested = new ConfigFileTarget(Write("kratos:\n  config:\n    version: v0.13.0\n" + string.Join("\n", Providers.Split('\n').Select(l => l.Length > 0 ? "    " + l : l))), "kratos.config").ReadForChecks(null);
            Assert.Equal("v0.13.0", nested.KratosVersion);
            Assert.Equal("the config file's kratos.config.version: key", nested.KratosVersionSource);
        }

        [Fact]
        public void A_juju_model_is_read_with_status_and_export_bundle_only()
        {
            using var m = new FakeJujuModel(idps: 3);
            m.Juju("config", "gitlab-idp", "issuer_url=https://gitlab.example.com", "scope=read_user openid");
            var t = m.Target();
            m.ClearLog();
            var input = t.ReadForChecks(new Juju.RecordingHost());
            Assert.Equal(new[] { "status", "export-bundle" }, m.Calls().Select(a => a[0]));
            Assert.Equal(new[] { "github-idp", "gitlab-idp", "google-idp" }, input.Idps.Select(s => s.Idp.Name));
            var gitlab = input.Idps[1];
            Assert.Equal("seed-secret-3", gitlab.Setting(FieldTable.ClientSecret));
            Assert.Null(gitlab.Setting(FieldTable.IssuerUrl)); // the charm passes issuer_url only for generic and auth0
            Assert.Equal(new[] { "read_user", "openid" }, gitlab.ListSetting(FieldTable.Scope));
            Assert.Equal("Juju", gitlab.Idp.TargetType);

            var r = Offline(input, "google-idp");
            AssertResult(r, CheckNames.Settings, R.Pass);
            Assert.Equal("26.2.0", input.KratosVersion);
            AssertResult(r, CheckNames.KratosVersion, R.Pass, "Kratos v26.2.0 (the workload version of 'kratos' in juju status) accepts provider 'google'");
            AssertResult(r, CheckNames.Mapper, R.Skipped, "charm gives Kratos its own default mapper");
            AssertResult(r, CheckNames.IdentitySchema, R.Skipped, "kratos charm's configuration");
            AssertResult(Offline(input, "google-idp", "26.2"), CheckNames.KratosVersion, R.Pass, "Kratos v26.2.0 (-KratosVersion)");
            foreach (var c in r.Values) Assert.DoesNotContain("seed-secret", c.Message);
            Assert.All(input.Idps, s => Assert.Equal("v26.2.0", s.Idp.KratosVersion));
        }

        [Fact]
        public void A_juju_model_without_a_workload_version_is_checked_against_nothing()
        {
            using var m = new FakeJujuModel(idps: 1, kratosVersion: "none");
            var input = m.Target().ReadForChecks(new Juju.RecordingHost());
            Assert.Null(input.KratosVersion);
            AssertResult(Offline(input, "github-idp"), CheckNames.KratosVersion, R.Skipped, "juju status shows no workload version for 'kratos'. Pass -KratosVersion");
            // Get says what it assumed.
            var idp = Assert.Single(m.Target().GetIdps(null));
            Assert.Equal("v26.2.0", idp.KratosVersion);
            Assert.Equal("assumed, the newest release ExternalIdp knows: juju status shows no workload version for 'kratos'", idp.KratosVersionSource);
        }

        [Fact]
        public void On_juju_the_apple_key_is_read_from_the_model_and_never_shown()
        {
            using var m = new FakeJujuModel();
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var pem = ec.ExportPkcs8PrivateKeyPem();
            var options = Path.Combine(m.Root, "apple.yaml");
            File.WriteAllText(options, "apple-idp:\n  provider: apple\n  client_id: com.example.web\n  apple_team_id: ABCDE12345\n  apple_private_key_id: KEY9876543\n  apple_private_key: |\n"
                + string.Join("\n", pem.Trim().Split('\n').Select(l => "    " + l.Trim())) + "\n");
            Assert.Equal(0, m.Juju("deploy", "kratos-external-idp-integrator", "apple-idp", "--config", options).code);
            Assert.Equal(0, m.Juju("integrate", "apple-idp:kratos-external-idp", "kratos:kratos-external-idp").code);
            var input = m.Target().ReadForChecks(null);
            var r = Offline(input, "apple-idp");
            AssertResult(r, CheckNames.AppleKey, R.Pass, "Team id ABCDE12345, key id KEY9876543");
            foreach (var c in r.Values)
                foreach (var line in pem.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 16 && !l.StartsWith("-----")))
                    Assert.DoesNotContain(line, c.Message);
        }

        [Fact]
        public void On_juju_an_unrelated_integrator_fails_and_a_disabled_one_warns()
        {
            using var m = new FakeJujuModel(idps: 2);
            Assert.Equal(0, m.Juju("remove-relation", "github-idp", "kratos").code);
            Assert.Equal(0, m.Juju("config", "google-idp", "enabled=false").code);
            var input = m.Target().ReadForChecks(null);
            AssertResult(Offline(input, "github-idp"), CheckNames.Settings, R.Fail, "'github-idp' is not related to 'kratos'");
            AssertResult(Offline(input, "google-idp"), CheckNames.Settings, R.Warning, "disabled (enabled=false)");
        }

        [Fact]
        public void On_juju_missing_settings_fail_with_the_parameter_to_give()
        {
            using var m = new FakeJujuModel(idps: 1);
            Assert.Equal(0, m.Juju("config", "github-idp", "provider=microsoft").code);
            var input = m.Target().ReadForChecks(null);
            var r = Offline(input, "github-idp");
            AssertResult(r, CheckNames.Settings, R.Fail, "requires -TenantId");
            AssertResult(r, CheckNames.MicrosoftTenant, R.Fail, "No tenant is set");
        }
    }
}
