using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ExternalIdp.Core;
using ExternalIdp.Core.Juju;
using Xunit;
using static ExternalIdp.Core.Tests.Juju.JujuWorkflowTests;

namespace ExternalIdp.Core.Tests.Juju
{
    /// <summary>Every way Add/Set/Get/Remove/GetRedirectUri can fail, and that nothing changed then.</summary>
    public class JujuFailureTests
    {
        private static ExternalIdpException Fails(Action a) => Assert.Throws<ExternalIdpException>(a);

        [Fact]
        public void JujuNotOnPath()
        {
            using var m = new FakeJujuModel();
            var empty = Path.Combine(m.Root, "empty");
            Directory.CreateDirectory(empty);
            m.Env["PATH"] = empty;
            var e = Fails(() => m.Target().GetIdps(SilentHost.Instance));
            Assert.Equal(ErrorIds.JujuNotFound, e.ErrorId);
            Assert.Equal(ErrorKind.NotInstalled, e.Kind);
            Assert.Contains("PATH", e.Message);
            Assert.Contains("install", e.Message, StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public void UnknownModel()
        {
            using var m = new FakeJujuModel();
            var t = m.Target(model: "nope");
            var e = Fails(() => t.GetIdps(SilentHost.Instance));
            Assert.Equal(ErrorIds.JujuModelNotFound, e.ErrorId);
            Assert.Contains("nope", e.Message);
            Assert.Contains("juju models", e.Message);
            Assert.Equal(ErrorIds.JujuModelNotFound, Fails(() => t.Add(null, GoogleIdp(), new OperationOptions(), SilentHost.Instance)).ErrorId);
            Assert.Equal(ErrorIds.JujuModelNotFound, Fails(() => t.GetRedirectUri("x-idp", new OperationOptions(), SilentHost.Instance)).ErrorId);
        }

        [Fact]
        public void KratosApplicationMissing()
        {
            using var m = new FakeJujuModel(seed: "nokratos");
            var e = Fails(() => m.Target().Add(null, GoogleIdp(), new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.JujuKratosNotFound, e.ErrorId);
            Assert.Contains("-KratosApplication", e.Message);
            Assert.Equal(new[] { "export-bundle" }, m.Calls().Select(c => c[0]));

            using var m2 = new FakeJujuModel();
            Assert.Equal(ErrorIds.JujuKratosNotFound, Fails(() => m2.Target(kratos: "identity").GetIdps(SilentHost.Instance)).ErrorId);
        }

        [Theory]
        [InlineData("yandex", "yander")]
        [InlineData("salesforce", "-ConfigPath")]
        [InlineData("github-app", "-ConfigPath")]
        public void ProviderTheCharmCannotDo(string provider, string hint)
        {
            using var m = new FakeJujuModel();
            var e = Fails(() => m.Target().Add(null, new IdpSettings { Provider = provider, ClientId = "c", ClientSecret = TestSecrets.Plain("s") }, new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.ProviderNotSupported, e.ErrorId);
            Assert.Contains(hint, e.Message);
            Assert.Empty(m.Calls(withVersion: true));
            Assert.False(m.Target().SupportsProvider(ProviderCatalog.Resolve(provider), out var reason));
            Assert.NotNull(reason);
        }

        public static IEnumerable<object[]> KratosOnlyParameters() => Samples.KratosOnly.Select(f => new object[] { f.Parameter });

        [Theory]
        [MemberData(nameof(KratosOnlyParameters))]
        public void ParametersTheCharmHasNoOptionFor(string parameter)
        {
            using var m = new FakeJujuModel();
            var s = MicrosoftIdp();
            var f = FieldTable.Default.ByParameter(parameter);
            s[f] = Samples.ValuesOf(f).Last();
            var e = Fails(() => m.Target().Add(null, s, new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.ParameterNotSupported, e.ErrorId);
            Assert.Contains("-" + parameter, e.Message);
            Assert.Contains("no option", e.Message);
            Assert.Contains(parameter, m.Target().UnsupportedParameters);
            // Set too, before juju is asked anything.
            var change = new IdpSettings { [f] = Samples.ValuesOf(f).First() };
            var set = Fails(() => m.Target().Set("microsoft-idp", change, new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.ParameterNotSupported, set.ErrorId);
            Assert.Contains($"-{parameter} can't be set on Juju", set.Message);
            Assert.Empty(m.Calls(withVersion: true));
        }

        [Theory]
        [InlineData("file:///etc/kratos/mapper.jsonnet")]
        [InlineData("https://example.com/mapper.jsonnet")]
        public void MapperUrlsTheCharmCannotRead(string url)
        {
            using var m = new FakeJujuModel();
            var s = GoogleIdp();
            s.MapperUrl = url;
            var e = Fails(() => m.Target().Add(null, s, new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.ParameterNotSupported, e.ErrorId);
            Assert.Contains("-JsonnetMapper", e.Message);
            Assert.Empty(m.Calls(withVersion: true));
        }

        [Fact]
        public void IncompleteOrInvalidSettingsTouchNothing()
        {
            using var m = new FakeJujuModel();
            var t = m.Target();
            var noTenant = MicrosoftIdp();
            noTenant.TenantId = null;
            var e = Fails(() => t.Add(null, noTenant, new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.InvalidConfiguration, e.ErrorId);
            Assert.Contains("-TenantId", e.Message);

            var badIssuer = new IdpSettings { Provider = "generic", ClientId = "c", ClientSecret = TestSecrets.Plain("s"), IssuerUrl = "not a url" };
            Assert.Equal(ErrorIds.InvalidConfiguration, Fails(() => t.Add(null, badIssuer, new OperationOptions(), SilentHost.Instance)).ErrorId);

            Assert.Equal(ErrorIds.UnknownProvider, Fails(() => t.Add(null, new IdpSettings { Provider = "azuread", ClientId = "c" }, new OperationOptions(), SilentHost.Instance)).ErrorId);

            var badName = Fails(() => t.Add("GitHub_IdP", GoogleIdp(), new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.InvalidConfiguration, badName.ErrorId);
            Assert.Contains("application name", badName.Message);
            Assert.Equal(ErrorIds.InvalidConfiguration, Fails(() => t.Add("google-2", GoogleIdp(), new OperationOptions(), SilentHost.Instance)).ErrorId);
            Assert.Empty(m.Calls(withVersion: true));
        }

        [Fact]
        public void ValuesThatBreakKratosConfigAreRefused()
        {
            using var m = new FakeJujuModel();
            var t = m.Target();
            var label = GoogleIdp();
            label.Label = "Sign in: Corp";
            var e = Fails(() => t.Add(null, label, new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.JujuUnsafeValue, e.ErrorId);
            Assert.Contains("-Label 'Sign in: Corp'", e.Message);
            Assert.Contains("-ConfigPath", e.Message);

            var secret = GoogleIdp();
            secret.ClientSecret = TestSecrets.Plain("abc #not-a-comment");
            e = Fails(() => t.Add(null, secret, new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.JujuUnsafeValue, e.ErrorId);
            Assert.Contains("-ClientSecret", e.Message);
            Assert.DoesNotContain("not-a-comment", e.Message);

            var leading = GoogleIdp();
            leading.ClientId = "*starred";
            Assert.Equal(ErrorIds.JujuUnsafeValue, Fails(() => t.Add(null, leading, new OperationOptions(), SilentHost.Instance)).ErrorId);

            const string body = "MIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQg";
            var apple = new IdpSettings
            {
                Provider = "apple", ClientId = "com.example.web", AppleTeamId = "ABCDE12345", ApplePrivateKeyId = "KEY1234567",
                ApplePrivateKey = TestSecrets.Plain("-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n"),
            };
            e = Fails(() => t.Add(null, apple, new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.JujuUnsafeValue, e.ErrorId);
            Assert.Contains("-ApplePrivateKey", e.Message);
            Assert.Contains("multi-line", e.Message);
            Assert.DoesNotContain(body, e.Message);
            Assert.Empty(m.Calls(withVersion: true));
        }

        [Fact]
        public void ProviderIdMustBeUniqueAmongRelatedIntegrators()
        {
            using var m = new FakeJujuModel(idps: 1); // github-idp, client seed-client-1, auto id
            var dup = new IdpSettings { Provider = "github", ClientId = "seed-client-1", ClientSecret = TestSecrets.Plain("other") };
            var e = Fails(() => m.Target().Add("other-github", dup, new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.IdpAlreadyExists, e.ErrorId);
            Assert.Contains("github-idp", e.Message);
            Assert.Contains("-ProviderId", e.Message);

            m.Target().Add("g1", GoogleIdp("shared-id"), new OperationOptions(), SilentHost.Instance);
            e = Fails(() => m.Target().Add("g2", GoogleIdp("shared-id"), new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.IdpAlreadyExists, e.ErrorId);
            Assert.Null(m.App("g2"));
            Assert.Null(m.App("other-github"));
        }

        [Fact]
        public void ExistingApplicationWithOtherSettings()
        {
            using var m = new FakeJujuModel(idps: 1);
            var other = new IdpSettings { Provider = "github", ClientId = "another-client", ClientSecret = TestSecrets.Plain("s2") };
            var e = Fails(() => m.Target().Add("github-idp", other, new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.IdpAlreadyExists, e.ErrorId);
            Assert.Contains("other settings", e.Message);
            Assert.Equal("seed-client-1", (string)m.App("github-idp")["Config"]!["client_id"]);

            Assert.Equal(ErrorIds.IdpAlreadyExists, Fails(() => m.Target().Add("kratos", other, new OperationOptions(), SilentHost.Instance)).ErrorId);

            // A derived name that is taken by someone else's app gets a suffix.
            var idp = m.Target().Add(null, other, new OperationOptions(), SilentHost.Instance);
            Assert.Equal("github-idp2", idp.Name);
            Assert.True(m.Related("github-idp2"));
        }

        [Fact]
        public void PartialFailureIsReportedAndFinishedByARerun()
        {
            using var m = new FakeJujuModel();
            m.Env["FAKE_JUJU_FAIL"] = "integrate";
            var e = Fails(() => m.Target().Add(null, MicrosoftIdp(), new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.JujuPartialState, e.ErrorId);
            Assert.Contains("microsoft-idp", e.Message);
            Assert.Contains("not related", e.Message);
            Assert.Contains("again", e.Message);
            Assert.Contains("cannot connect to API", e.Message);
            Assert.NotNull(m.App("microsoft-idp"));
            Assert.False(m.Related("microsoft-idp"));
            Assert.Empty(Directory.GetFileSystemEntries(m.TempDir));

            m.Env.Remove("FAKE_JUJU_FAIL");
            m.ClearLog();
            var host = new RecordingHost();
            var idp = m.Target().Add(null, MicrosoftIdp(), new OperationOptions(), host);
            Assert.Equal("microsoft-idp", idp.Name);
            Assert.Equal(new[] { "export-bundle", "integrate" }, m.Calls().Select(c => c[0]));
            Assert.True(m.Related("microsoft-idp"));
            Assert.Contains(host.Asked, a => a.action.StartsWith("Integrate the existing"));

            // Once related, the same Add is refused: the IdP exists.
            Assert.Equal(ErrorIds.IdpAlreadyExists, Fails(() => m.Target().Add("microsoft-idp", MicrosoftIdp(), new OperationOptions(), SilentHost.Instance)).ErrorId);
        }

        [Fact]
        public void DeployFailureLeavesNothing()
        {
            using var m = new FakeJujuModel();
            m.Env["FAKE_JUJU_FAIL"] = "deploy";
            var e = Fails(() => m.Target().Add(null, MicrosoftIdp(), new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.JujuCommandFailed, e.ErrorId);
            Assert.Contains("juju deploy", e.Message);
            Assert.Contains("cannot connect to API", e.Message);
            Assert.DoesNotContain(MsSecret, e.Message);
            Assert.Null(m.App("microsoft-idp"));
            Assert.Empty(Directory.GetFileSystemEntries(m.TempDir));
        }

        [Fact]
        public void FailOnlyTheNthCall()
        {
            using var m = new FakeJujuModel();
            m.Env["FAKE_JUJU_FAIL"] = "export-bundle:2";
            m.Target().Add(null, GoogleIdp(), new OperationOptions(), SilentHost.Instance);
            Assert.Equal(ErrorIds.JujuCommandFailed, Fails(() => m.Target().Add(null, MicrosoftIdp(), new OperationOptions(), SilentHost.Instance)).ErrorId);
            m.Target().Add(null, MicrosoftIdp(), new OperationOptions(), SilentHost.Instance);
        }

        [Fact]
        public void HungJujuIsKilledAfterTimeout()
        {
            using var m = new FakeJujuModel();
            m.Env["FAKE_JUJU_HANG"] = "deploy";
            var watch = Stopwatch.StartNew();
            var e = Fails(() => m.Target().Add(null, MicrosoftIdp(), new OperationOptions { TimeoutSec = 3 }, SilentHost.Instance));
            Assert.Equal(ErrorIds.JujuTimeout, e.ErrorId);
            Assert.Contains("juju deploy", e.Message);
            Assert.Contains("-TimeoutSec", e.Message);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), watch.Elapsed.ToString());
            Assert.Empty(Directory.GetFileSystemEntries(m.TempDir));
            Assert.DoesNotContain(m.LogText.Split('\n'), l => l.Contains("integrate"));
        }

        [Fact]
        public void CancellationStopsJujuAndDeletesTheOptionsFile()
        {
            using var m = new FakeJujuModel();
            m.Env["FAKE_JUJU_HANG"] = "deploy";
            var host = new RecordingHost();
            var t = m.Target();
            var task = Task.Run(() => t.Add(null, MicrosoftIdp(), new OperationOptions { TimeoutSec = 60 }, host));
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!m.LogText.Contains("\"deploy\"") && DateTime.UtcNow < deadline) Thread.Sleep(20);
            Assert.Single(Directory.GetFileSystemEntries(m.TempDir));
            host.Cts.Cancel();
            var ex = Assert.ThrowsAny<OperationCanceledException>(() => { task.GetAwaiter().GetResult(); });
            Assert.NotNull(ex);
            Assert.Empty(Directory.GetFileSystemEntries(m.TempDir));
        }

        [Fact]
        public void WaitReportsABlockedIdp()
        {
            using var m = new FakeJujuModel(idps: 1);
            m.Juju("remove-relation", "github-idp", "kratos");
            var e = Fails(() => m.Target().Set("github-idp", new IdpSettings { Label = "GitHub" }, new OperationOptions { Wait = true, TimeoutSec = 20 }, SilentHost.Instance));
            Assert.Equal(ErrorIds.JujuIdpBlocked, e.ErrorId);
            Assert.Contains("Missing integration kratos-external-idp", e.Message);
        }

        [Fact]
        public void WaitReportsAnIdpTheCharmFindsInvalid()
        {
            using var m = new FakeJujuModel(idps: 1);
            m.Juju("config", "github-idp", "enabled=false", "--reset", "client_secret");
            var e = Fails(() => m.Target().SetEnabled("github-idp", true, new OperationOptions { Wait = true, TimeoutSec = 20 }, SilentHost.Instance));
            Assert.Equal(ErrorIds.JujuIdpBlocked, e.ErrorId);
            Assert.Contains("Invalid OIDC provider configuration", e.Message);
            Assert.Contains("juju debug-log --include github-idp", e.Message);
            Assert.Contains("Set-KratosIdpProvider", e.Message);
        }

        [Fact]
        public void WaitTimesOutWhenKratosNeverRegisters()
        {
            using var m = new FakeJujuModel();
            m.Env["FAKE_JUJU_REGISTER"] = "never";
            var e = Fails(() => m.Target().Add(null, GoogleIdp(), new OperationOptions { Wait = true, TimeoutSec = 3 }, SilentHost.Instance));
            Assert.Equal(ErrorIds.JujuTimeout, e.ErrorId);
            Assert.Contains("Waiting for the requirer charm", e.Message);
            Assert.True(m.Related("corp-google-idp"));
        }

        [Fact]
        public void RemoveNeverTouchesKratosOrOtherCharms()
        {
            using var m = new FakeJujuModel(idps: 1);
            foreach (var name in new[] { "kratos", "traefik-public" })
            {
                var e = Fails(() => m.Target().Remove(name, new OperationOptions { RemoveApplication = true }, SilentHost.Instance));
                Assert.Equal(ErrorIds.IdpNotFound, e.ErrorId);
                Assert.Contains("not an IdP", e.Message);
                Assert.NotNull(m.App(name));
            }
            Assert.Equal(ErrorIds.IdpNotFound, Fails(() => m.Target().Remove("nope-idp", new OperationOptions(), SilentHost.Instance)).ErrorId);
            Assert.DoesNotContain(m.Calls(), c => c[0].StartsWith("remove"));
        }

        [Fact]
        public void RemoveOfAnUnrelatedIntegratorWarns()
        {
            using var m = new FakeJujuModel(idps: 1);
            m.Juju("remove-relation", "github-idp", "kratos");
            var host = new RecordingHost();
            // Nothing was removed: false, so Remove-KratosIdp -PassThru emits nothing for it.
            Assert.False(m.Target().Remove("github-idp", new OperationOptions(), host));
            Assert.Contains(host.Warnings, w => w.Contains("-RemoveApplication"));
            Assert.NotNull(m.App("github-idp"));
            Assert.DoesNotContain(m.Calls(), c => c[0].StartsWith("remove"));
            // With -RemoveApplication it is removed.
            Assert.True(m.Target().Remove("github-idp", new OperationOptions { RemoveApplication = true }, host));
            Assert.Null(m.App("github-idp"));
        }

        [Fact]
        public void WhatIfChangesNothing()
        {
            using var m = new FakeJujuModel(idps: 1);
            var host = new RecordingHost { Answer = false };
            var t = m.Target();
            Assert.Null(t.Add(null, GoogleIdp(), new OperationOptions(), host));
            Assert.Null(t.Set("github-idp", new IdpSettings { Label = "Octo" }, new OperationOptions(), host));
            Assert.Null(t.SetEnabled("github-idp", false, new OperationOptions(), host));
            Assert.False(t.Remove("github-idp", new OperationOptions { RemoveApplication = true }, host));
            Assert.Equal(4, host.Asked.Count);
            Assert.All(m.Calls(), c => Assert.Contains(c[0], new[] { "export-bundle", "status" }));
            Assert.Null(m.App("corp-google-idp"));
            Assert.True(m.Related("github-idp"));
            Assert.All(host.Asked, a => Assert.DoesNotContain(GoogleSecret, a.target + a.action));
        }

        [Fact]
        public void GetRedirectUriOfUnknownIdp()
        {
            using var m = new FakeJujuModel();
            var e = Fails(() => m.Target().GetRedirectUri("ghost-idp", new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.IdpNotFound, e.ErrorId);
            var k = Fails(() => m.Target().GetRedirectUri("kratos", new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.IdpNotFound, k.ErrorId);
        }

        [Fact]
        public void PublicUrlMissingWithoutTraefik()
        {
            using var m = new FakeJujuModel();
            m.Juju("remove-relation", "kratos", "traefik-public");
            var e = Fails(() => m.Target().GetPublicUrl(new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.PublicUrlNotFound, e.ErrorId);
            Assert.Contains("-PublicUrl", e.Message);
        }
    }
}
