using System.IO;
using ExternalIdp.Core;
using ExternalIdp.Core.ConfigFile;
using Xunit;
using static ExternalIdp.Core.Tests.ConfigFile.TestSupport;

namespace ExternalIdp.Core.Tests.ConfigFile
{
    public class UrlTests
    {
        private static ConfigFileTarget Target(string text) => new ConfigFileTarget(TempFile("kratos.yml", text), null);

        private const string Providers =
            "      config:\n        providers:\n" +
            "          - {id: plain, provider: github, client_id: a, client_secret: b, mapper_url: \"file:///m\"}\n" +
            "          - {id: forced, provider: github, client_id: a, client_secret: b, mapper_url: \"file:///m\", pkce: force}\n" +
            "          - {id: org, provider: github, client_id: a, client_secret: b, mapper_url: \"file:///m\", organization_id: acme}\n";

        [Fact]
        public void Redirect_uri_from_public_base_url_with_prefix()
        {
            var t = Target("serve:\n  public:\n    base_url: https://example.com/auth/\nselfservice:\n  methods:\n    oidc:\n" + Providers);
            var r = t.GetRedirectUri("plain", new OperationOptions(), new RecordingHost());
            Assert.Equal("https://example.com/auth/self-service/methods/oidc/callback/plain", r.RedirectUri);
            Assert.Equal("Computed", r.Source);
            Assert.Equal("plain", r.Name);
            Assert.Equal("ConfigFile", r.TargetType);
            Assert.Equal(t.ConfigPath, r.ConfigPath);
            Assert.Equal("https://example.com/auth/self-service/methods/oidc/callback", t.GetRedirectUri("forced", new OperationOptions(), null).RedirectUri);
            Assert.Equal("https://example.com/auth/self-service/methods/oidc/organization/acme/callback/org", t.GetRedirectUri("org", new OperationOptions(), null).RedirectUri);
        }

        [Fact]
        public void Base_redirect_uri_wins_and_public_url_option_wins_over_both()
        {
            var t = Target("serve:\n  public:\n    base_url: https://example.com/\nselfservice:\n  methods:\n    oidc:\n" + Providers.Replace("        providers:\n", "        base_redirect_uri: https://login.example.com\n        providers:\n"));
            Assert.Equal("https://login.example.com/self-service/methods/oidc/callback/plain", t.GetRedirectUri("plain", new OperationOptions(), null).RedirectUri);
            Assert.Equal("https://other.example/self-service/methods/oidc/callback/plain", t.GetRedirectUri("plain", new OperationOptions { PublicUrl = "https://other.example/" }, null).RedirectUri);
        }

        [Fact]
        public void No_base_url_says_what_to_set()
        {
            var t = Target("selfservice:\n  methods:\n    oidc:\n" + Providers);
            var ex = Assert.Throws<ExternalIdpException>(() => t.GetRedirectUri("plain", new OperationOptions(), null));
            Assert.Equal(ErrorIds.RedirectUriUnavailable, ex.ErrorId);
            Assert.Contains("serve.public.base_url", ex.Message);
            Assert.Contains("-PublicUrl", ex.Message);
            Assert.Null(t.GetIdps(null)[0].RedirectUri);

            t = Target("serve:\n  public:\n    base_url: ${KRATOS_URL}\nselfservice:\n  methods:\n    oidc:\n" + Providers);
            ex = Assert.Throws<ExternalIdpException>(() => t.GetRedirectUri("plain", new OperationOptions(), null));
            Assert.Equal(ErrorIds.RedirectUriUnavailable, ex.ErrorId);
            Assert.Contains("template", ex.Message);
        }

        [Fact]
        public void Public_url()
        {
            var t = Target("serve:\n  public:\n    base_url: https://auth.example.com/\n");
            var p = t.GetPublicUrl(new OperationOptions(), null);
            Assert.Equal("https://auth.example.com/", p.PublicUrl);
            Assert.Equal("serve.public.base_url", p.Source);
            Assert.Equal("ConfigFile", p.TargetType);
            var ex = Assert.Throws<ExternalIdpException>(() => Target("serve:\n  admin:\n    base_url: http://x/\n").GetPublicUrl(new OperationOptions(), null));
            Assert.Equal(ErrorIds.PublicUrlNotFound, ex.ErrorId);
            Assert.Contains("base_url", ex.Message);
        }

        [Fact]
        public void Public_url_option_is_the_answer()
        {
            // With or without serve.public.base_url in the file, -PublicUrl is what is reported.
            foreach (var text in new[] { "serve:\n  public:\n    base_url: https://auth.example.com/\n", "serve:\n  admin:\n    base_url: http://x/\n" })
            {
                var t = Target(text);
                var p = t.GetPublicUrl(new OperationOptions { PublicUrl = RedirectUris.GivenPublicUrl(" https://login.example.org/id/ ") }, null);
                Assert.Equal("https://login.example.org/id", p.PublicUrl);
                Assert.Equal("parameter", p.Source);
                Assert.Equal("ConfigFile", p.TargetType);
                Assert.Equal(t.ConfigPath, p.ConfigPath);
            }
        }

        [Theory]
        [InlineData("auth.example.com")]
        [InlineData("/kratos")]
        [InlineData("ftp://auth.example.com")]
        [InlineData("file:///etc/kratos")]
        [InlineData("https://auth.example.com/?a=b")]
        [InlineData("https://auth.example.com/#top")]
        public void A_public_url_parameter_that_is_not_an_absolute_http_url_is_refused(string value)
        {
            var ex = Assert.Throws<ExternalIdpException>(() => RedirectUris.GivenPublicUrl(value));
            Assert.Equal(ErrorIds.InvalidConfiguration, ex.ErrorId);
            Assert.StartsWith($"-PublicUrl '{value}' ", ex.Message);
            Assert.Contains("https://auth.example.com", ex.Message);
        }

        [Fact]
        public void Public_url_parameter_is_trimmed_and_may_be_http_or_carry_a_path()
        {
            Assert.Null(RedirectUris.GivenPublicUrl(null));
            Assert.Null(RedirectUris.GivenPublicUrl(""));
            Assert.Equal("http://127.0.0.1:4433", RedirectUris.GivenPublicUrl("http://127.0.0.1:4433/"));
            Assert.Equal("https://example.com/kratos", RedirectUris.GivenPublicUrl("https://example.com/kratos"));
        }

        [Fact]
        public void Helm_values_public_url_under_config_root()
        {
            var path = TempCopy(Path.Combine(Corpus, "ory-k8s-helm-kratos__values.yaml"));
            var ex = Assert.Throws<ExternalIdpException>(() => new ConfigFileTarget(path, "kratos.config").GetPublicUrl(new OperationOptions(), null));
            Assert.Equal(ErrorIds.PublicUrlNotFound, ex.ErrorId);
            Assert.Contains("kratos.config", ex.Message);
        }

        [Fact]
        public void Target_identity()
        {
            var t = new ConfigFileTarget("/etc/kratos/values.yaml", "kratos.config");
            Assert.Equal("ConfigFile", t.TargetType);
            Assert.Equal("/etc/kratos/values.yaml (kratos.config)", t.Description);
            Assert.Empty(t.UnsupportedParameters);
            foreach (var k in ProviderCatalog.All) Assert.True(t.SupportsProvider(k, out var why) && why == null);
            var idp = new KratosIdp();
            t.Stamp(idp);
            Assert.Equal(("ConfigFile", "/etc/kratos/values.yaml", "kratos.config"), (idp.TargetType, idp.ConfigPath, idp.ConfigRoot));
            Assert.False(File.Exists("/etc/kratos/values.yaml.lock"));
        }
    }
}

namespace ExternalIdp.Core.Tests.ConfigFile
{
    public class ExampleFileTests
    {
        [Fact]
        public void The_example_config_works_as_the_readme_demo_says()
        {
            var path = TestSupport.TempCopy(System.IO.Path.Combine(TestSupport.RepoRoot, "examples", "kratos.yml"));
            var t = new ConfigFileTarget(path, null);
            var gh = Assert.Single(t.GetIdps(new RecordingHost()));
            Assert.Equal("github", gh.Name);
            Assert.True(gh.Enabled);
            Assert.Equal("Valid", gh.Status);
            Assert.Equal("https://auth.example.com/self-service/methods/oidc/callback/github", gh.RedirectUri);
            Assert.Equal("https://auth.example.com/", t.GetPublicUrl(new OperationOptions(), null).PublicUrl);
            t.Add(null, TestSupport.Google(), new OperationOptions(), new RecordingHost());
            Assert.Equal(2, t.GetIdps(null).Count);
        }
    }
}

namespace ExternalIdp.Core.Tests.ConfigFile
{
    public class EmptyMappingTests
    {
        [Theory]
        [InlineData("kratos:\n  image: x\n  config: {}\n  replicas: 1\n", "kratos.config", "  config:\n    selfservice:\n      methods:\n        oidc:\n          enabled: true\n          config:\n            providers:\n              - id: test-google\n")]
        [InlineData("selfservice:\n  methods:\n    oidc: {}\n    password: {enabled: true}\n", null, "    oidc:\n      enabled: true\n      config:\n        providers:\n          - id: test-google\n")]
        [InlineData("selfservice:\n  methods: {password: {enabled: true}}\n", null, "  methods: {password: {enabled: true}, oidc: {enabled: true, config: {providers: [{id: test-google, provider: google,")]
        public void Empty_and_flow_mappings_on_the_path(string text, string root, string expected)
        {
            var path = TestSupport.TempFile("values.yaml", text);
            new ConfigFileTarget(path, root).Add(null, TestSupport.Google(), new OperationOptions(), new RecordingHost());
            var now = System.IO.File.ReadAllText(path);
            Assert.Contains(expected, now);
            Assert.NotNull(TestSupport.EntryOf(path, root, "test-google"));
            Assert.Empty(TestSupport.SchemaErrors((Newtonsoft.Json.Linq.JObject)TestSupport.ToJson(TestSupport.EntryOf(path, root, "test-google"))));
        }
    }
}
