using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using ExternalIdp.Core.Checks;
using ExternalIdp.Core.Tests.ConfigFile;
using Xunit;
using static ExternalIdp.Core.Tests.Checks.CheckSupport;
using R = ExternalIdp.KratosIdpCheckResult;

namespace ExternalIdp.Core.Tests.Checks
{
    /// <summary>The checks that need no network: Apple key, tenant, versions, mapper, identity schema, settings.</summary>
    public class OfflineCheckTests
    {
        private static Dictionary<string, KratosIdpCheck> Check(CheckSubject s, CheckInput input = null, string version = null)
        {
            using var checker = Checker(offline: true, version: version);
            return Run(checker, s, input);
        }

        // ---------------------------------------------------------------- Apple

        private static CheckSubject Apple(string pem, string team = "ABCDE12345", string keyId = "KEY9876543")
            => Subject("apple", "apple", new Dictionary<string, object>
            {
                [FieldTable.AppleTeamId.Key] = team, [FieldTable.ApplePrivateKeyId.Key] = keyId, [FieldTable.ApplePrivateKey.Key] = pem,
            });

        private static void AssertNoKeyMaterial(KratosIdpCheck c, string pem)
        {
            foreach (var line in pem.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 16 && !l.StartsWith("-----")))
                Assert.DoesNotContain(line, c.Message);
        }

        [Fact]
        public void A_generated_p256_pkcs8_key_passes()
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var pem = ec.ExportPkcs8PrivateKeyPem();
            var r = Check(Apple(pem));
            AssertResult(r, CheckNames.AppleKey, R.Pass, "PKCS#8 EC P-256");
            AssertNoKeyMaterial(r[CheckNames.AppleKey], pem);
            // Windows line breaks and surrounding blanks, as a pasted .p8 may have, are fine too.
            AssertResult(Check(Apple("\r\n" + pem.Replace("\n", "\r\n") + "\r\n")), CheckNames.AppleKey, R.Pass);
        }

        [Fact]
        public void An_rsa_key_fails()
        {
            using var rsa = RSA.Create(2048);
            var pem = rsa.ExportPkcs8PrivateKeyPem();
            var r = Check(Apple(pem));
            AssertResult(r, CheckNames.AppleKey, R.Fail, "an RSA key, but Sign in with Apple keys are EC P-256 keys");
            AssertNoKeyMaterial(r[CheckNames.AppleKey], pem);
            AssertResult(Check(Apple(rsa.ExportRSAPrivateKeyPem())), CheckNames.AppleKey, R.Fail, "RSA key");
        }

        [Fact]
        public void A_truncated_pem_fails()
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var pem = ec.ExportPkcs8PrivateKeyPem();
            var lines = pem.Split('\n').ToList();
            // The body's last line lost, END line kept: the DER is cut short.
            var cut = string.Join("\n", lines.Where((l, i) => i != lines.Count - 3));
            var r = Check(Apple(cut));
            AssertResult(r, CheckNames.AppleKey, R.Fail, "cut short");
            AssertNoKeyMaterial(r[CheckNames.AppleKey], pem);
            // The end of the file lost.
            AssertResult(Check(Apple(pem.Substring(0, pem.Length / 2))), CheckNames.AppleKey, R.Fail, "no '-----END PRIVATE KEY-----' line");
        }

        [Theory]
        [InlineData("KEY123456", "ABCDE12345", "the key id 'KEY123456' has 9 characters")]
        [InlineData("KEY98765432", "ABCDE12345", "the key id 'KEY98765432' has 11 characters")]
        [InlineData("KEY9876543", "ABCDE-1234", "(not only letters and digits)")]
        public void Ids_that_are_not_ten_letters_and_digits_fail(string keyId, string team, string expected)
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var r = Check(Apple(ec.ExportPkcs8PrivateKeyPem(), team, keyId));
            AssertResult(r, CheckNames.AppleKey, R.Fail, expected.Substring(0, 1).ToUpperInvariant() + expected.Substring(1));
        }

        [Fact]
        public void Other_key_forms_fail_with_what_they_are()
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            AssertResult(Check(Apple(ec.ExportECPrivateKeyPem())), CheckNames.AppleKey, R.Fail, "SEC1");
            using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            AssertResult(Check(Apple(p384.ExportPkcs8PrivateKeyPem())), CheckNames.AppleKey, R.Fail, "P-384");
            var escaped = ec.ExportPkcs8PrivateKeyPem().Replace("\n", "\\n");
            AssertResult(Check(Apple(escaped)), CheckNames.AppleKey, R.Fail, "\\n where its line breaks belong");
            AssertResult(Check(Apple("")), CheckNames.AppleKey, R.Fail, "No private key");
            AssertResult(Check(Apple("${APPLE_KEY}")), CheckNames.AppleKey, R.Fail, "template placeholder");
        }

        [Fact]
        public void Only_apple_gets_the_apple_check_and_only_microsoft_the_tenant_check()
        {
            var r = Check(Subject("google"));
            Assert.False(r.ContainsKey(CheckNames.AppleKey));
            Assert.False(r.ContainsKey(CheckNames.MicrosoftTenant));
            Assert.Equal(CheckNames.All.Where(r.ContainsKey).ToList(), r.Keys.ToList());
        }

        // ---------------------------------------------------------------- Microsoft tenant

        [Theory]
        [InlineData("common", R.Pass, "personal Microsoft accounts")]
        [InlineData("organizations", R.Pass, "work or school accounts of any tenant")]
        [InlineData("consumers", R.Pass, "only personal")]
        [InlineData("8eaef023-2b34-4da1-9baa-8bc8c9d6a490", R.Pass, "single tenant")]
        [InlineData("contoso.onmicrosoft.com", R.Pass, "resolves it to the tenant's GUID")]
        [InlineData("contoso", R.Fail, "is not a Microsoft tenant")]
        [InlineData("{8eaef023-2b34-4da1-9baa-8bc8c9d6a490}", R.Fail, "is not a Microsoft tenant")]
        [InlineData("${TENANT}", R.Fail, "template placeholder")]
        public void Microsoft_tenants(string tenant, R expected, string message)
        {
            var r = Check(Subject("microsoft", settings: new Dictionary<string, object> { [FieldTable.MicrosoftTenant.Key] = tenant }));
            AssertResult(r, CheckNames.MicrosoftTenant, expected, message);
        }

        // ---------------------------------------------------------------- Kratos versions

        [Theory]
        [InlineData("v1.1.0", "1.1.0")]
        [InlineData("1.1", "1.1.0")]
        [InlineData("26.2", "26.2.0")]
        [InlineData("v26.2.0", "26.2.0")]
        [InlineData("v1.3.0-pre.0", "1.3.0")]
        [InlineData("25", "25.0.0")]
        public void Versions_are_read_in_the_forms_people_write(string text, string expected)
        {
            Assert.True(KratosReleases.TryParse(text, out var v));
            Assert.Equal(Version.Parse(expected), v);
        }

        [Theory]
        [InlineData("latest")]
        [InlineData("${KRATOS_VERSION}")]
        [InlineData("sha256:0123abcd")]
        [InlineData("")]
        public void Non_versions_are_not_read(string text) => Assert.False(KratosReleases.TryParse(text, out _));

        [Fact]
        public void The_release_table_says_what_each_release_rejects()
        {
            KratosReleases.TryParse("v1.1.0", out var v110);
            KratosReleases.TryParse("v1.3.0", out var v130);
            KratosReleases.TryParse("v25.4.0", out var v254);
            string[] Rejected(Version v, Dictionary<string, object> e) => KratosVersionRules.Rejected(v, CheckSupport.Entry(e)).Select(r => r.ToString()).ToArray();
            var entry = new Dictionary<string, object> { ["id"] = "x", ["provider"] = "microsoft", ["pkce"] = "auto", ["claims_source"] = "userinfo", ["subject_source"] = "oid" };
            Assert.Equal(new[] { "key 'pkce' (from v1.3.0)", "subject_source 'oid' (from v25.4.0)" }, Rejected(v110, entry));
            Assert.Equal(new[] { "subject_source 'oid' (from v25.4.0)" }, Rejected(v130, entry));
            Assert.Empty(Rejected(v254, entry));
            Assert.Equal(new[] { "provider 'salesforce' (from v1.3.0)" }, Rejected(v110, new Dictionary<string, object> { ["provider"] = "salesforce" }));
            Assert.Equal(new[] { "key 'account_linking_mode' (from v26.2.0)" }, Rejected(v254, new Dictionary<string, object> { ["provider"] = "google", ["account_linking_mode"] = "automatic" }));
            Assert.Equal("v25.4.0", KratosVersionRules.NeededRelease(CheckSupport.Entry(entry)));
        }

        [Fact]
        public void The_version_comes_from_the_parameter_before_the_config_file()
        {
            var s = Subject("generic", "kc", new Dictionary<string, object> { [FieldTable.IssuerUrl.Key] = "https://sso.example.com", [FieldTable.Pkce.Key] = "force" });
            var input = Input(s);
            input.KratosVersion = "v1.3.0";
            input.KratosVersionSource = "the config file's version: key";
            AssertResult(Check(s, input), CheckNames.KratosVersion, R.Pass, "Kratos v1.3.0 (the config file's version: key) accepts");
            var r = Check(s, input, version: "1.1");
            AssertResult(r, CheckNames.KratosVersion, R.Fail, "Kratos v1.1.0 (-KratosVersion) does not accept key 'pkce' (from v1.3.0)");
            Assert.Contains("upgrade Kratos", r[CheckNames.KratosVersion].Message);
            AssertResult(Check(s, input, version: "latest"), CheckNames.KratosVersion, R.Skipped, "'latest' (-KratosVersion) is not a Kratos release number");
            AssertResult(Check(s, Input(s)), CheckNames.KratosVersion, R.Skipped, "Pass -KratosVersion (for example v1.3.0 or 26.2) to check this entry against a release (it needs Kratos v1.3.0 or later).");
            AssertResult(Check(s, input, version: "0.8"), CheckNames.KratosVersion, R.Skipped, "older than v0.10.1");
        }

        // ---------------------------------------------------------------- settings

        [Fact]
        public void Problems_of_the_entry_fail_settings_and_notes_warn()
        {
            var s = Subject("google", problems: new[] { "'client_secret' is empty (a template value to fill in before Kratos can use this provider)" });
            AssertResult(Check(s), CheckNames.Settings, R.Fail, "'client_secret' is empty");
            var ok = Subject("google");
            ok.Notes.Add("selfservice.methods.oidc.enabled is not true");
            AssertResult(Check(ok), CheckNames.Settings, R.Warning, "oidc.enabled is not true");
            var r = Check(Subject("google", settings: new Dictionary<string, object> { [FieldTable.MapperUrl.Key] = DefaultMapper.UrlFor(ProviderCatalog.Resolve("google")) }));
            AssertResult(r, CheckNames.Settings, R.Pass, "client_id, client_secret, mapper_url");
            Assert.DoesNotContain(ClientSecret, r[CheckNames.Settings].Message);
        }

        // ---------------------------------------------------------------- mapper and identity schema

        private static string TempFolder()
        {
            var dir = Path.Combine(Path.GetTempPath(), "eidp-check-" + Guid.NewGuid().ToString("N").Substring(0, 10));
            Directory.CreateDirectory(dir);
            return dir;
        }

        private static string SchemaFixture(string name) => Path.Combine(TestSupport.Reference, "identity-schemas", name);

        private static CheckInput WithSchema(CheckSubject s, string folder, string url)
        {
            var input = Input(s);
            input.BaseFolder = folder;
            input.IdentitySchemaUrl = url;
            input.IdentitySchemaSource = "identity.schemas, id 'default'";
            return input;
        }

        private static CheckSubject WithMapper(string provider, string mapperUrl)
            => Subject(provider, settings: new Dictionary<string, object> { [FieldTable.MapperUrl.Key] = mapperUrl });

        [Fact]
        public void The_quickstart_schema_takes_the_default_mapper()
        {
            var folder = TempFolder();
            File.Copy(SchemaFixture("ory-kratos-quickstart-email-password__identity.schema.json"), Path.Combine(folder, "identity.schema.json"));
            foreach (var kind in new[] { "google", "microsoft" })
            {
                var s = WithMapper(kind, DefaultMapper.UrlFor(ProviderCatalog.Resolve(kind)));
                // A relative file:// URL is read from the config file's folder, wherever the process is.
                var r = Check(s, WithSchema(s, folder, "file://identity.schema.json"));
                AssertResult(r, CheckNames.Mapper, R.Pass, "ExternalIdp's default mapper");
                AssertResult(r, CheckNames.IdentitySchema, R.Pass, "(email, name.first, name.last); required: email");
                Assert.Contains(Path.Combine(folder, "identity.schema.json"), r[CheckNames.IdentitySchema].Message);
            }
        }

        [Fact]
        public void A_schema_without_name_that_allows_no_other_traits_fails_naming_the_trait()
        {
            var s = WithMapper("google", DefaultMapper.UrlFor(ProviderCatalog.Resolve("google")));
            var url = "file://" + SchemaFixture("no-name-closed.identity.schema.json").Replace('\\', '/');
            if (!url.StartsWith("file:///")) url = "file:///" + url.Substring(7);
            var r = Check(s, WithSchema(s, null, url));
            AssertResult(r, CheckNames.IdentitySchema, R.Fail, "no trait 'name' (name.first, name.last) and allows no others (additionalProperties: false)");
        }

        [Fact]
        public void Schemas_that_do_not_fit_the_default_mapper_fail_or_warn()
        {
            var s = WithMapper("google", DefaultMapper.UrlFor(ProviderCatalog.Resolve("google")));
            string B64(string json) => "base64://" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json));
            var requiresUsername = B64("{\"properties\":{\"traits\":{\"type\":\"object\",\"properties\":{\"email\":{\"type\":\"string\"},\"name\":{\"type\":\"object\",\"properties\":{\"first\":{},\"last\":{}}},\"username\":{\"type\":\"string\"}},\"required\":[\"email\",\"username\"]}}}");
            AssertResult(Check(s, WithSchema(s, null, requiresUsername)), CheckNames.IdentitySchema, R.Fail, "requires the trait 'username'");
            var nameString = B64("{\"properties\":{\"traits\":{\"properties\":{\"email\":{\"type\":\"string\"},\"name\":{\"type\":\"string\"}}}}}");
            AssertResult(Check(s, WithSchema(s, null, nameString)), CheckNames.IdentitySchema, R.Fail, "the trait 'name' is of type string");
            var open = B64("{\"properties\":{\"traits\":{\"type\":\"object\",\"properties\":{\"email\":{\"type\":\"string\"}}}}}");
            AssertResult(Check(s, WithSchema(s, null, open)), CheckNames.IdentitySchema, R.Warning, "no trait 'name'");
            var viaRef = B64("{\"definitions\":{\"t\":{\"type\":\"object\",\"properties\":{\"email\":{\"type\":\"string\"},\"name\":{\"$ref\":\"#/definitions/n\"}},\"additionalProperties\":false},\"n\":{\"type\":\"object\",\"properties\":{\"first\":{},\"last\":{}}}},\"properties\":{\"traits\":{\"$ref\":\"#/definitions/t\"}}}");
            AssertResult(Check(s, WithSchema(s, null, viaRef)), CheckNames.IdentitySchema, R.Pass);
            AssertResult(Check(s, WithSchema(s, null, B64("not json"))), CheckNames.IdentitySchema, R.Fail, "is not a JSON object");
        }

        [Fact]
        public void The_schema_check_is_skipped_when_it_cannot_say_anything()
        {
            var own = WithMapper("google", DefaultMapper.ToMapperUrl("{ identity: { traits: { email: std.extVar('claims').email } } }"));
            AssertResult(Check(own, WithSchema(own, null, "file:///nonexistent/identity.schema.json")), CheckNames.IdentitySchema, R.Skipped, "is your own");
            var def = WithMapper("google", DefaultMapper.UrlFor(ProviderCatalog.Resolve("google")));
            AssertResult(Check(def, WithSchema(def, null, "https://schemas.example.com/identity.json")), CheckNames.IdentitySchema, R.Skipped, "can't be read here");
            AssertResult(Check(def, WithSchema(def, "/nonexistent", "file://identity.schema.json")), CheckNames.IdentitySchema, R.Skipped, "there is no file");
            AssertResult(Check(def), CheckNames.IdentitySchema, R.Skipped, "No schema in this test.");
        }

        [Fact]
        public void Mappers_are_read_where_Kratos_reads_them()
        {
            var folder = TempFolder();
            Directory.CreateDirectory(Path.Combine(folder, "mappers"));
            File.WriteAllText(Path.Combine(folder, "mappers", "kc.jsonnet"), "local claims = std.extVar('claims'); { identity: { traits: { email: claims.email } } }");
            Dictionary<string, KratosIdpCheck> Run(string url) { var s = WithMapper("github", url); var i = Input(s); i.BaseFolder = folder; return Check(s, i); }
            AssertResult(Run("file://mappers/kc.jsonnet"), CheckNames.Mapper, R.Pass, Path.Combine(folder, "mappers", "kc.jsonnet"));
            AssertResult(Run("file://" + Path.Combine(folder, "mappers", "kc.jsonnet").Replace('\\', '/')), CheckNames.Mapper, R.Pass);
            var missing = Run("file://mappers/missing.jsonnet");
            AssertResult(missing, CheckNames.Mapper, R.Fail, "there is no file " + Path.Combine(folder, "mappers", "missing.jsonnet"));
            Assert.Contains("relative file:// path is taken from the config file's folder", missing[CheckNames.Mapper].Message);
            AssertResult(Run("base64://not*base64"), CheckNames.Mapper, R.Fail, "not base64");
            AssertResult(Run("base64://" + Convert.ToBase64String(new byte[] { 32, 32 })), CheckNames.Mapper, R.Fail, "is empty");
            AssertResult(Run("https://example.com/mapper.jsonnet"), CheckNames.Mapper, R.Skipped, "Kratos fetches it at sign-in");
            AssertResult(Run("${MAPPER}"), CheckNames.Mapper, R.Fail, "template placeholder");
        }
    }
}
