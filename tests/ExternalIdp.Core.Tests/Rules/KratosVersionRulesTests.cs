using System.IO;
using System.Linq;
using ExternalIdp.Core;
using ExternalIdp.Core.Checks;
using ExternalIdp.Core.ConfigFile;
using Xunit;
using static ExternalIdp.Core.Tests.ConfigFile.TestSupport;

namespace ExternalIdp.Core.Tests.Rules
{
    /// <summary>Which release a target runs, and what the one rule says about it, for releases ExternalIdp knows and those it doesn't.</summary>
    public class KratosVersionRulesTests
    {
        private static string File(string version, string providers = " []")
            => TempFile("kratos.yml", (version == null ? "" : $"version: {version}\n") +
                "selfservice:\n  methods:\n    oidc:\n      enabled: true\n      config:\n        providers:" + providers + "\n");

        private const string WithPkceAndNewerKey = @"
          - id: kc
            provider: generic
            client_id: c
            client_secret: s
            issuer_url: https://sso.example.com
            mapper_url: base64://e30=
            pkce: force
            update_identity_on_login: automatic";

        [Theory]
        [InlineData("v1.1.0", "v1.1.0")]
        [InlineData("1.1", "v1.1.0")]
        [InlineData("26.2", "v26.2.0")]
        [InlineData(" v25.4.0 ", "v25.4.0")]
        public void KratosVersion_takes_the_forms_people_write(string text, string name)
        {
            var r = KratosRelease.Given(text, "the config file's top-level version: key");
            Assert.Equal(name, r.Name);
            Assert.Equal("-KratosVersion", r.Source);
            Assert.True(r.Declared);
            Assert.Null(KratosRelease.Given(""));
        }

        [Theory]
        [InlineData("latest")]
        [InlineData("${KRATOS_VERSION}")]
        [InlineData("v1.x")]
        public void A_KratosVersion_that_is_no_release_is_an_error_that_says_what_to_give(string text)
        {
            var e = Assert.Throws<ExternalIdpException>(() => KratosRelease.Given(text));
            Assert.Equal(ErrorIds.InvalidConfiguration, e.ErrorId);
            Assert.Contains($"-KratosVersion '{text}' is not a Kratos release number: give the release Kratos runs, such as v1.1.0, 1.1 or 26.2", e.Message);
        }

        [Fact]
        public void The_release_comes_from_the_parameter_then_the_target_then_the_newest()
        {
            Assert.Equal("v1.0.0 (-KratosVersion)", KratosRelease.Resolve("1.0", "v1.3.0", "the config file's version: key", "none").ToString());
            Assert.Equal("v1.3.0 (the config file's version: key)", KratosRelease.Resolve(null, "v1.3.0", "the config file's version: key", "none").ToString());
            var template = KratosRelease.Resolve(null, "${KRATOS_VERSION}", "the config file's version: key", "none");
            Assert.False(template.Declared);
            Assert.Equal("v26.2.0 (assumed, the newest release ExternalIdp knows: the config file's version: key is '${KRATOS_VERSION}', which is not a release number)", template.ToString());
            Assert.Equal("v26.2.0 (assumed, the newest release ExternalIdp knows: the config file has no version: key)", KratosRelease.Resolve(null, null, "x", "the config file has no version: key").ToString());
        }

        [Fact]
        public void A_file_without_a_usable_version_is_checked_against_the_newest_release()
        {
            foreach (var version in new[] { null, "\"${KRATOS_VERSION}\"" })
            {
                var path = File(version, WithPkceAndNewerKey);
                var idp = Assert.Single(new ConfigFileTarget(path, null).GetIdps(SilentHost.Instance));
                Assert.Equal("v26.2.0", idp.KratosVersion);
                Assert.StartsWith("assumed, the newest release ExternalIdp knows: ", idp.KratosVersionSource);
                // Every release ExternalIdp knows rejects a key none of them has.
                Assert.Equal(new[] { "unknown key 'update_identity_on_login' (Kratos rejects keys its schema doesn't list)" }, idp.Problems);
            }
        }

        [Fact]
        public void A_release_newer_than_any_ExternalIdp_knows_is_not_judged_on_keys_it_may_have()
        {
            Assert.True(KratosReleases.NewerThanKnown(KratosRelease.Given("26.3").Version));
            Assert.True(KratosReleases.NewerThanKnown(KratosRelease.Given("v27.0.0").Version));
            Assert.False(KratosReleases.NewerThanKnown(KratosRelease.Given("v26.2.4").Version));
            var path = File("v27.1.0", WithPkceAndNewerKey.Replace("provider: generic", "provider: okta-new-kind"));
            var idp = Assert.Single(new ConfigFileTarget(path, null).GetIdps(SilentHost.Instance));
            Assert.Equal("v27.1.0", idp.KratosVersion);
            Assert.Equal("Valid", idp.Status);
            // The same file, read as the newest release ExternalIdp knows.
            var known = Assert.Single(new ConfigFileTarget(path, null).GetIdps(SilentHost.Instance, new OperationOptions { KratosVersion = "26.2" }));
            Assert.Equal(new[] { "unknown key 'update_identity_on_login' (Kratos rejects keys its schema doesn't list)", "provider 'okta-new-kind' is not a Kratos provider kind" }, known.Problems.OrderByDescending(p => p.StartsWith("unknown")));
        }

        [Fact]
        public void A_release_older_than_any_ExternalIdp_knows_takes_the_oldest_keys_and_nothing_later()
        {
            var path = File("v0.8.0");
            var t = new ConfigFileTarget(path, null);
            Assert.Equal("v0.8.0", t.Add(null, Google(), new OperationOptions(), SilentHost.Instance).KratosVersion);
            var e = Assert.Throws<ExternalIdpException>(() => t.Set("test-google", new IdpSettings { ClaimsSource = "userinfo" }, new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.NotSupportedByVersion, e.ErrorId);
            Assert.Contains("which does not accept key 'claims_source' (from v1.1.0)", e.Message);
        }

        [Fact]
        public void Set_keeps_what_the_entry_already_holds_and_refuses_only_what_it_writes()
        {
            var path = File("v1.2.0", WithPkceAndNewerKey.Replace("            update_identity_on_login: automatic", "            fedcm_config_url: https://sso.example.com/fedcm.json"));
            var t = new ConfigFileTarget(path, null);
            var before = Assert.Single(t.GetIdps(SilentHost.Instance));
            Assert.Equal(new[]
            {
                "Kratos v1.2.0 (the config file's version: key) does not accept key 'pkce' (from v1.3.0)",
                "Kratos v1.2.0 (the config file's version: key) does not accept key 'fedcm_config_url' (from v25.4.0)",
            }, before.Problems);
            Assert.Equal("Invalid", before.Status);
            // A label is accepted by every release: written, with the keys it did not write kept byte for byte.
            var text = System.IO.File.ReadAllText(path);
            t.Set("kc", new IdpSettings { Label = "Staff" }, new OperationOptions(), SilentHost.Instance);
            var (deleted, inserted) = LineDiff(text, System.IO.File.ReadAllText(path));
            Assert.Empty(deleted);
            Assert.Equal("            label: Staff\n", Assert.Single(inserted).Text);
            // A new kind and an empty value: the kind is refused; removing a key never is.
            var e = Assert.Throws<ExternalIdpException>(() => t.Set("kc", new IdpSettings { Provider = "salesforce" }, new OperationOptions(), SilentHost.Instance));
            Assert.Contains("which does not accept provider 'salesforce' (from v1.3.0)", e.Message);
            Assert.Contains("Choose another -Provider, or upgrade Kratos to v1.3.0 or later", e.Message);
            var after = t.Set("kc", new IdpSettings { Pkce = "" }, new OperationOptions(), SilentHost.Instance);
            Assert.Equal(new[] { "Kratos v1.2.0 (the config file's version: key) does not accept key 'fedcm_config_url' (from v25.4.0)" }, after.Problems);
            Assert.Equal("https://sso.example.com/fedcm.json", after.OtherSettings["fedcm_config_url"]);
        }

        [Fact]
        public void The_refusal_names_every_rejected_key_and_the_release_that_accepts_them_all()
        {
            var path = File("v1.0.0");
            var s = Entra();
            s.SubjectSource = "oid";
            s.ClaimsSource = "userinfo";
            s.Pkce = "auto";
            s[FieldTable.OrganizationId] = SettingValue.Of(Samples.OrganizationId);
            var e = Assert.Throws<ExternalIdpException>(() => new ConfigFileTarget(path, null).Add(null, s, new OperationOptions(), SilentHost.Instance));
            Assert.Contains("which does not accept subject_source 'oid' (from v25.4.0), key 'claims_source' (from v1.1.0), key 'pkce' (from v1.3.0), key 'organization_id' (from v1.1.0):", e.Message);
            Assert.Contains("Leave out -SubjectSource oid and -ClaimsSource and -Pkce and -OrganizationId, or upgrade Kratos to v25.4.0 or later", e.Message);
        }
    }
}
