using System;
using System.IO;
using System.Linq;
using ExternalIdp.Core;
using Newtonsoft.Json.Linq;
using Xunit;

namespace ExternalIdp.Core.Tests.Rules
{
    public class CatalogTests
    {
        internal static string ReferenceDir() => Reference.Dir;

        [Fact]
        public void Catalog_has_exactly_the_kinds_of_the_kratos_schema()
        {
            var schema = JObject.Parse(File.ReadAllText(Path.Combine(ReferenceDir(), "kratos-oidc.schema.json")));
            var kinds = schema["definitions"]["selfServiceOIDCProvider"]["properties"]["provider"]["enum"].Select(t => (string)t).ToList();
            Assert.Equal(kinds.OrderBy(k => k), ProviderCatalog.Names.OrderBy(k => k));
        }

        [Fact]
        public void Charm_kinds_are_the_fourteen_that_work_end_to_end()
        {
            var expected = new[] { "generic", "auth0", "google", "facebook", "microsoft", "github", "apple", "gitlab",
                "slack", "spotify", "discord", "netid", "vk", "dingtalk" };
            Assert.Equal(expected.OrderBy(k => k), ProviderCatalog.CharmKinds.Select(k => k.Name).OrderBy(k => k));
        }

        [Fact]
        public void Yandex_refusal_explains_the_charm_typo()
        {
            ProviderCatalog.TryGet("yandex", out var y);
            Assert.Contains("yander", ProviderCatalog.CharmRefusal(y));
            ProviderCatalog.TryGet("linkedin", out var l);
            Assert.Contains("-ConfigPath", ProviderCatalog.CharmRefusal(l));
            ProviderCatalog.TryGet("google", out var g);
            Assert.Null(ProviderCatalog.CharmRefusal(g));
        }

        [Theory]
        [InlineData("azure", "microsoft")]
        [InlineData("Entra", "microsoft")]
        [InlineData("entra-id", "microsoft")]
        [InlineData("twitter", "'x'")]
        public void Unknown_kind_suggests_the_right_one_and_lists_all(string typed, string suggestion)
        {
            var ex = Assert.Throws<ExternalIdpException>(() => ProviderCatalog.Resolve(typed));
            Assert.Equal(ErrorIds.UnknownProvider, ex.ErrorId);
            Assert.Contains("Did you mean", ex.Message);
            Assert.Contains(suggestion, ex.Message);
            Assert.Contains("github, github-app", ex.Message.Replace("generic, auth0, google, microsoft, ", ""));
        }

        [Fact]
        public void Keycloak_is_pointed_at_generic_with_an_issuer()
        {
            var ex = Assert.Throws<ExternalIdpException>(() => ProviderCatalog.Resolve("keycloak"));
            Assert.Contains("-Provider generic", ex.Message);
            Assert.Contains("-IssuerUrl", ex.Message);
        }

        [Fact]
        public void Resolve_is_case_insensitive_and_returns_the_canonical_name()
        {
            Assert.Equal("github", ProviderCatalog.Resolve("GitHub").Name);
        }

        [Fact]
        public void Every_parameter_named_by_a_kind_rule_exists()
        {
            foreach (var k in ProviderCatalog.All)
                foreach (var f in k.RequiredFields.Concat(k.OptionalFields))
                    Assert.True(f.Parameter != null && FieldTable.Default.ByParameter(f.Parameter) == f, $"{k.Name}: {f} has no parameter");
        }
    }

    public class ProviderIdTests
    {
        private static ProviderKind K(string n) => ProviderCatalog.Resolve(n);

        [Fact]
        public void Generic_matches_the_charm_test_vector()
            => Assert.Equal("generic_c1b858ba120b6a62d17865256fab2617b727ab27",
                ProviderIds.Generate(K("generic"), "client_id", "http://example.com", null));

        [Fact]
        public void Microsoft_matches_the_charm_test_vector()
            => Assert.Equal("microsoft_6e1ce1792c6e3594dfc2f2e9f53d386fcfab4d36",
                ProviderIds.Generate(K("microsoft"), "client_id", null, "some-tenant-id"));

        [Fact]
        public void Github_matches_the_charm_test_vector()
            => Assert.Equal("github_96da49381769303a6515a8785c7f19c383db376a",
                ProviderIds.Generate(K("github"), "client_id", null, null));

        [Fact]
        public void Issuer_is_ignored_for_kinds_seeded_by_client_id_only()
            => Assert.Equal(ProviderIds.Generate(K("github"), "client_id", null, null),
                ProviderIds.Generate(K("github"), "client_id", "https://ignored.example", "t"));

        [Fact]
        public void Generated_ids_are_valid_provider_ids()
        {
            foreach (var k in ProviderCatalog.All)
                IdpRules.ValidateProviderId(ProviderIds.Generate(k, "c", "https://i.example", "t"));
        }
    }

    public class RedirectUriTests
    {
        [Theory]
        [InlineData("https://auth.example.com", "google", "https://auth.example.com/self-service/methods/oidc/callback/google")]
        [InlineData("https://auth.example.com/", "google", "https://auth.example.com/self-service/methods/oidc/callback/google")]
        [InlineData("https://auth.example.com///", "google", "https://auth.example.com/self-service/methods/oidc/callback/google")]
        [InlineData("https://host/iam-kratos", "github", "https://host/iam-kratos/self-service/methods/oidc/callback/github")]
        [InlineData("https://host/iam-kratos/", "github", "https://host/iam-kratos/self-service/methods/oidc/callback/github")]
        [InlineData("http://127.0.0.1:4433/", "hydra", "http://127.0.0.1:4433/self-service/methods/oidc/callback/hydra")]
        public void Base_and_id_join_as_strings(string b, string id, string expected)
            => Assert.Equal(expected, RedirectUris.Build(b, id));

        [Fact]
        public void Pkce_force_has_no_id()
            => Assert.Equal("https://a.example/p/self-service/methods/oidc/callback",
                RedirectUris.Build("https://a.example/p/", "google", "force"));

        [Fact]
        public void Pkce_auto_keeps_the_id()
            => Assert.Equal("https://a.example/self-service/methods/oidc/callback/google",
                RedirectUris.Build("https://a.example", "google", "auto"));

        [Fact]
        public void Organization_form()
            => Assert.Equal("https://a.example/self-service/methods/oidc/organization/org-1/callback/google",
                RedirectUris.Build("https://a.example", "google", null, "org-1"));

        [Fact]
        public void No_base_is_a_clear_error()
        {
            var ex = Assert.Throws<ExternalIdpException>(() => RedirectUris.Build(null, "google"));
            Assert.Equal(ErrorIds.RedirectUriUnavailable, ex.ErrorId);
            Assert.Contains("serve.public.base_url", ex.Message);
            Assert.Contains("-PublicUrl", ex.Message);
        }
    }
}
