using System.IO;
using System.Linq;
using ExternalIdp.Core;
using ExternalIdp.Core.Juju;
using Xunit;
using static ExternalIdp.Core.Tests.Juju.JujuWorkflowTests;

namespace ExternalIdp.Core.Tests.Juju
{
    public class JujuSetTests
    {
        [Fact]
        public void SetSendsOnlyWhatChanges()
        {
            using var m = new FakeJujuModel();
            var t = m.Target();
            t.Add(null, GoogleIdp(), new OperationOptions(), SilentHost.Instance);
            m.ClearLog();
            var host = new RecordingHost();
            var idp = t.Set("corp-google-idp", new IdpSettings { Label = "Google Workspace", ClientId = "123-google.apps.googleusercontent.com", Scope = new string[0] }, new OperationOptions(), host);
            var calls = m.Calls();
            Assert.Equal(2, calls.Count);
            Assert.Equal(new[] { "export-bundle", "config" }, calls.Select(c => c[0]));
            var config = calls[1];
            Assert.Contains("--file", config);
            Assert.Equal("scope", config[config.ToList().IndexOf("--reset") + 1]);
            var keys = m.LogLines()[1]["files"]![0]!["keys"]!.Select(k => (string)k).ToArray();
            Assert.Equal(new[] { "corp-google-idp.label" }, keys);
            Assert.Equal("Google Workspace", idp.Label);
            Assert.Empty(idp.Scope);
            var app = m.App("corp-google-idp");
            Assert.Equal("Google Workspace", (string)app["Config"]!["label"]);
            Assert.Null(app["Config"]!["scope"]);
            Assert.Empty(host.Warnings);
            Assert.Empty(Directory.GetFileSystemEntries(m.TempDir));
        }

        [Fact]
        public void SetWithNothingNewCallsOnlyExportBundle()
        {
            using var m = new FakeJujuModel(idps: 1);
            var host = new RecordingHost();
            var idp = m.Target().Set("github-idp", new IdpSettings { ClientId = "seed-client-1" }, new OperationOptions(), host);
            Assert.Equal("seed-client-1", idp.ClientId);
            Assert.Single(m.Calls());
            Assert.Empty(host.Asked);
        }

        [Fact]
        public void ChangingTheProviderIdWarnsAboutTheRedirectUri()
        {
            using var m = new FakeJujuModel(idps: 1);
            var host = new RecordingHost();
            var idp = m.Target().Set("github-idp", new IdpSettings { ProviderId = "github" }, new OperationOptions(), host);
            Assert.Equal("github", idp.ProviderId);
            var w = Assert.Single(host.Warnings);
            Assert.Contains("redirect URI", w);
            Assert.Contains("github_", w);

            // Back to the auto id: reset provider_id.
            host.Warnings.Clear();
            m.ClearLog();
            idp = m.Target().Set("github-idp", new IdpSettings { ProviderId = "" }, new OperationOptions(), host);
            Assert.StartsWith("github_", idp.ProviderId);
            var config = m.Calls().Last();
            Assert.Equal(new[] { "config", "github-idp", "--reset", "provider_id" }, config);
            Assert.Single(host.Warnings);
        }

        [Fact]
        public void RotatingTheClientIdOfAnAutoIdWarnsToo()
        {
            using var m = new FakeJujuModel(idps: 1);
            var host = new RecordingHost();
            m.Target().Set("github-idp", new IdpSettings { ClientId = "new-client" }, new OperationOptions(), host);
            Assert.Single(host.Warnings);
        }

        [Fact]
        public void SetProviderIdAlreadyUsedIsRefused()
        {
            using var m = new FakeJujuModel(idps: 2);
            var googleId = m.Target().GetIdps(SilentHost.Instance).Single(i => i.Name == "google-idp").ProviderId;
            var e = Assert.Throws<ExternalIdpException>(() => m.Target().Set("github-idp", new IdpSettings { ProviderId = googleId }, new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.IdpAlreadyExists, e.ErrorId);
            Assert.DoesNotContain(m.Calls(), c => c[0] == "config");
        }

        [Fact]
        public void ChangingTheKindChecksCompletenessAndResetsWhatTheNewKindDoesNotTake()
        {
            using var m = new FakeJujuModel();
            var t = m.Target();
            t.Add("sso", MicrosoftIdp(), new OperationOptions(), SilentHost.Instance);

            // microsoft → generic needs an issuer.
            var e = Assert.Throws<ExternalIdpException>(() => t.Set("sso", new IdpSettings { Provider = "generic" }, new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.InvalidConfiguration, e.ErrorId);
            Assert.Contains("-IssuerUrl", e.Message);

            m.ClearLog();
            var idp = t.Set("sso", new IdpSettings { Provider = "generic", IssuerUrl = "https://login.example.com/realms/main" }, new OperationOptions(), SilentHost.Instance);
            Assert.Equal("generic", idp.Provider);
            Assert.Null(idp.TenantId);
            var config = m.Calls().Last();
            Assert.Equal("microsoft_tenant_id", config[config.ToList().IndexOf("--reset") + 1]);
            Assert.Null(m.App("sso")["Config"]!["microsoft_tenant_id"]);
            Assert.Equal("https://login.example.com/realms/main", (string)m.App("sso")["Config"]!["issuer_url"]);

            // Removing a required setting is refused.
            e = Assert.Throws<ExternalIdpException>(() => t.Set("sso", new IdpSettings { IssuerUrl = "" }, new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.InvalidConfiguration, e.ErrorId);
        }

        [Fact]
        public void SetRefusesWhatTheCharmCannotTake()
        {
            using var m = new FakeJujuModel(idps: 1);
            var t = m.Target();
            Assert.Equal(ErrorIds.ParameterNotSupported, Assert.Throws<ExternalIdpException>(() => t.Set("github-idp", new IdpSettings { Pkce = "force" }, new OperationOptions(), SilentHost.Instance)).ErrorId);
            Assert.Equal(ErrorIds.ProviderNotSupported, Assert.Throws<ExternalIdpException>(() => t.Set("github-idp", new IdpSettings { Provider = "yandex" }, new OperationOptions(), SilentHost.Instance)).ErrorId);
            Assert.Equal(ErrorIds.JujuUnsafeValue, Assert.Throws<ExternalIdpException>(() => t.Set("github-idp", new IdpSettings { Label = "GitHub #1" }, new OperationOptions(), SilentHost.Instance)).ErrorId);
            Assert.Equal(ErrorIds.IdpNotFound, Assert.Throws<ExternalIdpException>(() => t.Set("nope-idp", new IdpSettings { Label = "x" }, new OperationOptions(), SilentHost.Instance)).ErrorId);
            Assert.Equal(ErrorIds.IdpNotFound, Assert.Throws<ExternalIdpException>(() => t.Set("kratos", new IdpSettings { Label = "x" }, new OperationOptions(), SilentHost.Instance)).ErrorId);
            Assert.DoesNotContain(m.Calls(), c => c[0] == "config");
        }

        [Fact]
        public void SetWithWaitReadsTheRedirectUri()
        {
            using var m = new FakeJujuModel(idps: 1);
            var idp = m.Target().Set("github-idp", new IdpSettings { Label = "Octo" }, new OperationOptions { Wait = true, TimeoutSec = 20 }, SilentHost.Instance);
            Assert.Equal("active", idp.Status);
            Assert.Equal("Action", idp.RedirectUriSource);
            Assert.EndsWith("/" + idp.ProviderId, idp.RedirectUri);
        }

        [Theory]
        [InlineData("3.6.1-genericlinux-amd64")]
        [InlineData("2.9.49-ubuntu-amd64")]
        public void DisableAndEnable(string version)
        {
            using var m = new FakeJujuModel(idps: 1, version: version);
            var t = m.Target();
            var off = t.SetEnabled("github-idp", false, new OperationOptions { Wait = true, TimeoutSec = 20 }, SilentHost.Instance);
            Assert.False(off.Enabled);
            Assert.Equal("The OIDC provider is disabled", off.StatusMessage);
            Assert.Null(off.RedirectUri);
            Assert.Equal(new[] { "config", "github-idp", "enabled=false" }, m.Calls().First(c => c[0] == "config"));
            var got = t.GetIdps(SilentHost.Instance).Single();
            Assert.False(got.Enabled);
            Assert.Equal("active", got.Status);
            Assert.Equal("The OIDC provider is disabled", got.StatusMessage);

            m.ClearLog();
            var on = t.SetEnabled("github-idp", true, new OperationOptions(), SilentHost.Instance);
            Assert.True(on.Enabled);
            Assert.Equal(2, m.Calls().Count);

            m.ClearLog();
            t.SetEnabled("github-idp", true, new OperationOptions(), SilentHost.Instance);
            Assert.Single(m.Calls());
        }
    }
}
