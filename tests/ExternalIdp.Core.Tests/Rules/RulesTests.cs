using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ExternalIdp.Core;
using Xunit;

namespace ExternalIdp.Core.Tests.Rules
{
    public class RulesTests
    {
        private const string Secret = "s3cr3t-Value-42";
        private static SecretValue S(string v = Secret) => TestSecrets.Plain(v);
        private static ProviderKind K(string n) => ProviderCatalog.Resolve(n);

        private static ExternalIdpException Incomplete(string kind, IdpSettings s)
        {
            s.Provider = kind;
            return Assert.Throws<ExternalIdpException>(() => IdpRequest.ForAdd(s, KratosFileRules.Instance));
        }

        /// <summary>The entry Add writes for these settings on a config file (defaults included).</summary>
        private static ProviderEntry Entry(string kind, string id, IdpSettings s)
        {
            s.Provider = kind;
            return IdpRules.NewEntry(IdpRequest.ForAdd(s, KratosFileRules.Instance), id);
        }

        private static IdpRequest Changes(IdpSettings s) => IdpRequest.ForSet(s, KratosFileRules.Instance);

        [Fact]
        public void Microsoft_without_tenant_names_TenantId()
        {
            var ex = Incomplete("microsoft", new IdpSettings { ClientId = "c", ClientSecret = S() });
            Assert.Equal(ErrorIds.InvalidConfiguration, ex.ErrorId);
            Assert.Contains("-TenantId", ex.Message);
            Assert.Contains("common / organizations / consumers", ex.Message);
        }

        [Fact]
        public void Tenant_on_google_is_refused_and_says_who_takes_it()
        {
            var ex = Incomplete("google", new IdpSettings { ClientId = "c", ClientSecret = S(), TenantId = "common" });
            Assert.Contains("does not take -TenantId", ex.Message);
            Assert.Contains("only microsoft takes it", ex.Message);
            Assert.Contains("Remove -TenantId", ex.Message);
        }

        [Fact]
        public void Apple_needs_its_three_fields_and_no_secret()
        {
            var ex = Incomplete("apple", new IdpSettings { ClientId = "c", ClientSecret = S() });
            foreach (var p in new[] { "-AppleTeamId", "-ApplePrivateKeyId", "-ApplePrivateKey", "takes no -ClientSecret" })
                Assert.Contains(p, ex.Message);
            Assert.DoesNotContain(Secret, ex.Message);
        }

        [Theory]
        [InlineData("generic")]
        [InlineData("auth0")]
        public void Generic_and_auth0_need_an_issuer(string kind)
            => Assert.Contains("-IssuerUrl", Incomplete(kind, new IdpSettings { ClientId = "c", ClientSecret = S() }).Message);

        [Theory]
        [InlineData("google")]
        [InlineData("github")]
        [InlineData("microsoft")]
        [InlineData("generic")]
        public void Every_kind_but_apple_needs_a_secret(string kind)
            => Assert.Contains("requires -ClientSecret", Incomplete(kind, new IdpSettings { ClientId = "c", TenantId = "common", IssuerUrl = "https://i.example" }).Message);

        [Theory]
        [InlineData("accounts.google.com")]
        [InlineData("/realms/main")]
        [InlineData("ftp://idp.example.com")]
        [InlineData("https://idp.example.com/?x=1")]
        public void Relative_or_non_http_issuers_are_refused(string url)
        {
            var ex = Assert.Throws<ExternalIdpException>(() => IdpRules.ValidateValues(new IdpSettings { IssuerUrl = url }));
            Assert.Equal(ErrorIds.InvalidConfiguration, ex.ErrorId);
            Assert.Contains("-IssuerUrl", ex.Message);
        }

        [Theory]
        [InlineData("common", true)]
        [InlineData("organizations", true)]
        [InlineData("consumers", true)]
        [InlineData("8eaef023-2b34-4da1-9baa-8bc8c9d6a490", true)]
        [InlineData("contoso.onmicrosoft.com", true)]
        [InlineData("not a tenant", false)]
        [InlineData("contoso", false)]
        public void Tenant_forms(string tenant, bool ok)
            => Assert.Equal(ok, IdpRules.IsValidTenant(tenant));

        [Theory]
        [InlineData("my idp")]
        [InlineData("a/b")]
        [InlineData("-lead")]
        [InlineData("")]
        public void Bad_provider_ids_are_refused(string id)
            => Assert.Throws<ExternalIdpException>(() => IdpRules.ValidateValues(new IdpSettings { ProviderId = id }));

        [Fact]
        public void Secret_with_a_line_break_is_refused_without_echoing_it()
        {
            var ex = Assert.Throws<ExternalIdpException>(() => IdpRules.ValidateValues(new IdpSettings { ClientSecret = S(Secret + "\n") }));
            Assert.DoesNotContain(Secret, ex.Message);
        }

        [Fact]
        public void Every_problem_is_reported_at_once()
        {
            var ex = Assert.Throws<ExternalIdpException>(() => IdpRules.ValidateValues(new IdpSettings
            { IssuerUrl = "nope", TenantId = "x y", Pkce = "always" }));
            Assert.Contains("-IssuerUrl", ex.Message);
            Assert.Contains("-TenantId", ex.Message);
            Assert.Contains("-Pkce", ex.Message);
        }

        [Fact]
        public void Kind_change_drops_fields_the_new_kind_cannot_take()
        {
            var existing = Entry("microsoft", "ms", new IdpSettings { ClientId = "c", ClientSecret = S(), TenantId = "common", SubjectSource = "oid" });
            var changes = IdpRules.Changes(existing, K("microsoft"), K("google"), Changes(new IdpSettings()), out var dropped);
            var after = IdpRules.Apply(existing, changes);
            Assert.Equal(new[] { "microsoft_tenant", "subject_source" }.OrderBy(x => x), dropped.OrderBy(x => x));
            Assert.Equal("google", after.Text("provider"));
            IdpProblems.RequireComplete(K("google"), after);
        }

        [Fact]
        public void Empty_string_in_Set_removes_an_optional_key()
        {
            var existing = Entry("google", "g", new IdpSettings { ClientId = "c", ClientSecret = S(), Label = "L" });
            var after = IdpRules.Apply(existing, IdpRules.Changes(existing, K("google"), K("google"), Changes(new IdpSettings { Label = "" }), out _));
            Assert.False(after.Contains("label"));
        }

        [Fact]
        public void Kratos_problems_flag_templates_and_missing_keys()
        {
            var entry = ExternalIdp.Core.Tests.Checks.CheckSupport.Entry(new Dictionary<string, object>
            {
                ["id"] = "azure", ["provider"] = "microsoft", ["client_id"] = "${AZURE_CLIENT_ID}", ["client_secret"] = "",
                ["mapper_url"] = "base64://${MAPPER}", ["tenant"] = "x",
            });
            var p = IdpProblems.OfKratosEntry(entry, FieldTable.Default);
            Assert.Contains(p, x => x.Contains("microsoft_tenant"));
            Assert.Contains(p, x => x.Contains("unknown key 'tenant'"));
            Assert.Contains(p, x => x.Contains("placeholder"));
        }

        [Fact]
        public void A_complete_entry_has_no_kratos_problems()
        {
            var e = Entry("github", "github", new IdpSettings { ClientId = "c", ClientSecret = S() });
            Assert.Empty(IdpProblems.OfKratosEntry(e, FieldTable.Default));
        }

        public static IEnumerable<object[]> AllKinds() => ProviderCatalog.All.Select(k => new object[] { k.Name });

        [Theory]
        [MemberData(nameof(AllKinds))]
        public void Built_entries_for_every_kind_validate_against_the_kratos_schema(string kind)
        {
            var k = K(kind);
            var s = new IdpSettings { ClientId = "client", ClientSecret = k.IsApple ? null : S() };
            if (k.RequiredFields.Contains(FieldTable.IssuerUrl)) s.IssuerUrl = "https://issuer.example.com";
            if (k.IsMicrosoft) s.TenantId = "common";
            if (k.IsApple) { s.AppleTeamId = "KP76DQS54M"; s.ApplePrivateKeyId = "UX56C66723"; s.ApplePrivateKey = S("-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----"); }
            var e = Entry(kind, ProviderIds.Generate(k, "client", s.IssuerUrl, s.TenantId), s);
            Assert.Empty(IdpProblems.OfKratosEntry(e, FieldTable.Default));

            var json = new Newtonsoft.Json.Linq.JObject();
            foreach (var kv in e)
                json[kv.Key] = kv.Value.Kind == SettingKind.List ? new Newtonsoft.Json.Linq.JArray(kv.Value.Items)
                    : kv.Value.Kind == SettingKind.Secret ? kv.Value.Secret.Reveal() : kv.Value.Text;
            var errors = KratosSchema.Errors(json);
            Assert.True(errors.Count == 0, string.Join("; ", errors));
        }

        [Fact]
        public void The_schema_check_rejects_what_kratos_rejects()
        {
            var bad = Newtonsoft.Json.Linq.JObject.Parse(@"{""id"":""g"",""provider"":""google"",""client_id"":""c"",""client_secret"":""s"",
                ""mapper_url"":""base64://e30="",""microsoft_tenant"":""common""}");
            Assert.NotEmpty(KratosSchema.Errors(bad));
            bad.Remove("microsoft_tenant");
            Assert.Empty(KratosSchema.Errors(bad));
            bad["mapper_url"] = "not a uri";
            Assert.NotEmpty(KratosSchema.Errors(bad));
        }

        [Fact]
        public void Default_mapper_requires_verified_email_except_for_microsoft()
        {
            var g = DefaultMapper.TryDecode(DefaultMapper.UrlFor(K("google")));
            var m = DefaultMapper.TryDecode(DefaultMapper.UrlFor(K("microsoft")));
            Assert.Contains("email_verified", g);
            Assert.DoesNotContain("email_verified", m);
            Assert.Contains("std.extVar('claims')", m);
        }

        [Fact]
        public void Secret_value_never_shows_in_ToString()
        {
            Assert.Equal("(secret)", S().ToString());
            Assert.Equal(Secret, S().Reveal());
        }
    }
}
