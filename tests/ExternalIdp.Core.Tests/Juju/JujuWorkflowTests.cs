using System;
using System.IO;
using System.Linq;
using ExternalIdp.Core;
using ExternalIdp.Core.Juju;
using Xunit;

namespace ExternalIdp.Core.Tests.Juju
{
    /// <summary>The documented workflow against the fake juju, on Juju 3.x and 2.9.</summary>
    public class JujuWorkflowTests
    {
        internal const string MsSecret = "ms-S3cret~value.1234";
        internal const string GoogleSecret = "GOCSPX-google-secret-5678";
        internal const string Tenant = "8eaef023-2b34-4da1-9baa-8bc8c9d6a490";

        internal static IdpSettings MicrosoftIdp() => new IdpSettings
        {
            Provider = "microsoft", ClientId = "c3d7e1a2-ms-client", ClientSecret = TestSecrets.Plain(MsSecret), TenantId = Tenant,
        };

        internal static IdpSettings GoogleIdp(string providerId = "corp-google") => new IdpSettings
        {
            Provider = "google", ClientId = "123-google.apps.googleusercontent.com", ClientSecret = TestSecrets.Plain(GoogleSecret),
            ProviderId = providerId, Label = "Corp Google", Scope = new[] { "openid", "email", "profile" },
        };

        [Theory]
        [InlineData("3.6.1-genericlinux-amd64")]
        [InlineData("2.9.49-ubuntu-amd64")]
        public void DocumentedWorkflow(string version)
        {
            using var m = new FakeJujuModel(version: version);
            var host = new RecordingHost();
            var t = m.Target();
            bool legacy = version.StartsWith("2.");

            // Add microsoft (tenant), name derived from the kind.
            var ms = t.Add(null, MicrosoftIdp(), new OperationOptions(), host);
            Assert.Equal("microsoft-idp", ms.Name);
            Assert.Equal(ProviderIds.Generate(ProviderCatalog.Resolve("microsoft"), "c3d7e1a2-ms-client", null, Tenant), ms.ProviderId);
            Assert.True(ms.HasClientSecret);
            Assert.True(ms.Related);
            Assert.Equal("Juju", ms.TargetType);
            Assert.Equal("kratos", ms.KratosApplication);
            var addCalls = m.Calls();
            Assert.True(addCalls.Count <= 3, string.Join(" | ", addCalls.Select(c => string.Join(" ", c))));
            Assert.Equal(new[] { "export-bundle", "deploy", legacy ? "add-relation" : "integrate" }, addCalls.Select(c => c[0]));
            Assert.Contains(addCalls[1], a => a == "--config");
            Assert.Equal(new[] { legacy ? "add-relation" : "integrate", "microsoft-idp:kratos-external-idp", "kratos:kratos-external-idp" }, addCalls[2]);
            Assert.True(m.Related("microsoft-idp"));
            var app = m.App("microsoft-idp");
            Assert.Equal(MsSecret, (string)app["Config"]!["client_secret"]);
            Assert.Equal(Tenant, (string)app["Config"]!["microsoft_tenant_id"]);

            // Add google with a chosen provider id, label and scope.
            var g = t.Add(null, GoogleIdp(), new OperationOptions(), host);
            Assert.Equal("corp-google-idp", g.Name);
            Assert.Equal("corp-google", g.ProviderId);
            Assert.Equal("openid email profile", (string)m.App("corp-google-idp")["Config"]!["scope"]);

            // Get: both, with status, no secrets.
            m.ClearLog();
            var idps = t.GetIdps(host);
            Assert.True(m.Calls().Count <= 2);
            Assert.Equal(new[] { "corp-google-idp", "microsoft-idp" }, idps.Select(i => i.Name));
            var gi = idps[0];
            Assert.Equal("google", gi.Provider);
            Assert.Equal("Corp Google", gi.Label);
            Assert.Equal(new[] { "openid", "email", "profile" }, gi.Scope);
            Assert.True(gi.HasClientSecret);
            Assert.True(gi.Related);
            Assert.True(gi.Enabled);
            Assert.Equal("waiting", gi.Status);
            Assert.Equal(Tenant, idps[1].TenantId);
            Assert.Equal("microsoft", idps[1].Provider);

            // After that status call kratos has registered them: the action answers, one call.
            m.ClearLog();
            var uri = t.GetRedirectUri("corp-google-idp", new OperationOptions(), host);
            Assert.Single(m.Calls());
            Assert.Equal(legacy ? "run-action" : "run", m.Calls()[0][0]);
            Assert.Equal("corp-google-idp/leader", m.Calls()[0][1]);
            Assert.Equal("Action", uri.Source);
            Assert.Equal("https://iam.example.com/self-service/methods/oidc/callback/corp-google", uri.RedirectUri);
            Assert.Equal("corp-google", uri.ProviderId);
            Assert.Equal("microk8s:iam", uri.Model);

            // Remove the relation (the application stays), then the application.
            m.ClearLog();
            Assert.True(t.Remove("microsoft-idp", new OperationOptions(), host));
            Assert.True(m.Calls().Count <= 2);
            Assert.Equal(new[] { "remove-relation", "microsoft-idp:kratos-external-idp", "kratos:kratos-external-idp" }, m.Calls().Last());
            Assert.False(m.Related("microsoft-idp"));
            Assert.NotNull(m.App("microsoft-idp"));
            var after = t.GetIdps(host).Single(i => i.Name == "microsoft-idp");
            Assert.False(after.Related);
            Assert.Equal("blocked", after.Status);

            m.ClearLog();
            Assert.True(t.Remove("microsoft-idp", new OperationOptions { RemoveApplication = true }, host));
            Assert.True(m.Calls().Count <= 2);
            var remove = m.Calls().Last();
            Assert.Equal("remove-application", remove[0]);
            Assert.Equal(!legacy, remove.Contains("--no-prompt"));
            Assert.Null(m.App("microsoft-idp"));
            Assert.NotNull(m.App("kratos"));

            // Every juju command line was written to the verbose stream.
            Assert.Contains(host.Verbose, v => v.StartsWith("juju deploy kratos-external-idp-integrator microsoft-idp --config "));
            Assert.Contains(host.Verbose, v => v == "juju export-bundle");

            // Secrets never reached a command line, a message, or a file left behind.
            foreach (var secret in new[] { MsSecret, GoogleSecret })
            {
                Assert.DoesNotContain(secret, m.LogText);
                Assert.DoesNotContain(secret, host.AllText);
            }
            Assert.Empty(Directory.GetFileSystemEntries(m.TempDir));
        }

        [Fact]
        public void SecretsGoThroughAPrivateFileToDeployAndThroughStandardInputToConfig()
        {
            using var m = new FakeJujuModel();
            var t = m.Target();
            t.Add(null, MicrosoftIdp(), new OperationOptions(), new RecordingHost());
            t.Set("microsoft-idp", new IdpSettings { ClientSecret = TestSecrets.Plain("rotated-secret-0001") }, new OperationOptions(), new RecordingHost());
            var files = m.LogLines().Where(l => l["files"] != null).SelectMany(l => l["files"]!).ToList();
            Assert.Equal(2, files.Count);

            // deploy --config: a private file in the temp folder (this juju is not the snap), deleted afterwards.
            var deployFile = files[0];
            Assert.True((bool)deployFile["exists"]!);
            if (!OperatingSystem.IsWindows()) Assert.Equal("600", (string)deployFile["mode"]);
            Assert.StartsWith(m.TempDir, (string)deployFile["path"]);
            Assert.False(File.Exists((string)deployFile["path"]));
            Assert.Contains("microsoft-idp.client_secret", deployFile["keys"]!.Select(k => (string)k));

            // config: the options on standard input, no file at all.
            var config = m.Calls().Single(c => c[0] == "config");
            Assert.Equal(new[] { "config", "microsoft-idp", "--file", "-" }, config);
            Assert.True((bool)files[1]["stdin"]!);
            Assert.Equal(new[] { "microsoft-idp.client_secret" }, files[1]["keys"]!.Select(k => (string)k));

            Assert.Empty(Directory.GetFileSystemEntries(m.TempDir));
            Assert.DoesNotContain("rotated-secret-0001", m.LogText);
            Assert.DoesNotContain(MsSecret, m.LogText);
            Assert.Equal("rotated-secret-0001", (string)m.App("microsoft-idp")["Config"]!["client_secret"]);
        }

        [Fact]
        public void OptionFilesLeftByKilledProcessesAreRemovedByTheNextOne()
        {
            using var m = new FakeJujuModel();
            var t = m.Target();
            t.Add(null, MicrosoftIdp(), new OperationOptions(), new RecordingHost());
            // A process that has exited, this (running) process, and a file that isn't an options file.
            int gone;
            using (var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true, UseShellExecute = false })!)
            {
                p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                gone = p.Id;
            }
            int self = Environment.ProcessId;
            var orphan = Path.Combine(m.TempDir, $"externalidp-{gone}-{Guid.NewGuid():N}.yaml");
            var live = Path.Combine(m.TempDir, $"externalidp-{self}-{Guid.NewGuid():N}.yaml");
            var other = Path.Combine(m.TempDir, "externalidp-notes.yaml");
            foreach (var f in new[] { orphan, live, other }) File.WriteAllText(f, "app:\n  client_secret: \"left-behind\"\n");

            // The next options file (the next deploy) is written in the same folder.
            t.Add(null, GoogleIdp(), new OperationOptions(), new RecordingHost());

            Assert.False(File.Exists(orphan));
            Assert.True(File.Exists(live));
            Assert.True(File.Exists(other));
            // The file this Add wrote carried its own process id and is gone too.
            var written = m.LogLines().Where(l => l["files"] != null).SelectMany(l => l["files"]!).Select(f => Path.GetFileName((string)f["path"]!)).Last();
            Assert.StartsWith($"externalidp-{self}-", written);
            Assert.Equal(new[] { live, other }.OrderBy(x => x), Directory.GetFileSystemEntries(m.TempDir).OrderBy(x => x));
        }

        [Fact]
        public void AddWithWaitReturnsReadyIdpWithActionRedirectUri()
        {
            using var m = new FakeJujuModel();
            var host = new RecordingHost();
            var idp = m.Target().Add("entra", MicrosoftIdp(), new OperationOptions { Wait = true, TimeoutSec = 30 }, host);
            Assert.Equal("active", idp.Status);
            Assert.Equal("The OIDC provider is ready", idp.StatusMessage);
            Assert.Equal("Action", idp.RedirectUriSource);
            Assert.Equal("https://iam.example.com/self-service/methods/oidc/callback/" + idp.ProviderId, idp.RedirectUri);
            Assert.Contains(host.Progress, p => p.Contains("waiting"));
            Assert.Contains(host.Progress, p => p.EndsWith("|True"));
            // Budget without the version check and the polling.
            Assert.Equal(3, m.Calls().Count(c => c[0] != "status" && c[0] != "run"));
        }

        [Fact]
        public void AddWithWaitImmediateRegistration()
        {
            using var m = new FakeJujuModel();
            m.Env["FAKE_JUJU_REGISTER"] = "immediate";
            var idp = m.Target().Add(null, GoogleIdp(), new OperationOptions { Wait = true, TimeoutSec = 30 }, new RecordingHost());
            Assert.Equal("active", idp.Status);
            Assert.Single(m.Calls(), c => c[0] == "status");
        }

        [Fact]
        public void GetListsEveryIntegratorWithTwoCalls()
        {
            using var m = new FakeJujuModel(idps: 12);
            var idps = m.Target().GetIdps(new RecordingHost());
            Assert.Equal(12, idps.Count);
            Assert.Equal(2, m.Calls().Count);
            Assert.Equal(new[] { "status", "export-bundle" }, m.Calls().Select(c => c[0]));
            foreach (var i in idps)
            {
                Assert.True(i.Related);
                Assert.True(i.HasClientSecret);
                Assert.Equal("active", i.Status);
                Assert.Equal(ProviderIds.Generate(ProviderCatalog.Resolve(i.Provider), i.ClientId, null, null), i.ProviderId);
            }
            Assert.DoesNotContain(idps, i => i.Name == "kratos" || i.Name == "traefik-public");
        }

        [Fact]
        public void GetFindsIntegratorsByCharmNotByName()
        {
            using var m = new FakeJujuModel();
            m.Juju("deploy", "kratos-external-idp-integrator", "sso");
            var idps = m.Target().GetIdps(SilentHost.Instance);
            var sso = Assert.Single(idps);
            Assert.Equal("sso", sso.Name);
            Assert.False(sso.Related);
            Assert.Equal("generic", sso.Provider);
            Assert.False(sso.HasClientSecret);
            Assert.Equal("blocked", sso.Status);
            Assert.Equal("Invalid OIDC provider configuration", sso.StatusMessage);
        }

        [Fact]
        public void GetShowsProblemsOfProvidersKratosRejects()
        {
            // The charm accepts twitch; Kratos does not and goes blocked.
            using var m = new FakeJujuModel(idps: 1);
            m.Juju("config", "github-idp", "provider=twitch");
            m.Status();
            var host = new RecordingHost();
            var idp = Assert.Single(m.Target().GetIdps(host));
            Assert.Equal("twitch", idp.Provider);
            Assert.Contains(idp.Problems, p => p.Contains("not a Kratos provider"));
            Assert.StartsWith("twitch_", idp.ProviderId);
            var w = Assert.Single(host.Warnings);
            Assert.Contains("Failed to start the service", w);
        }

        [Fact]
        public void GetOnLegacyJujuReadsListShapedRelations()
        {
            using var m = new FakeJujuModel(idps: 2, version: "2.9.49-ubuntu-amd64");
            var idps = m.Target().GetIdps(SilentHost.Instance);
            Assert.Equal(2, idps.Count);
            Assert.All(idps, i => Assert.True(i.Related));
        }

        [Fact]
        public void GetOnEmptyModelReturnsNothingWithOneCall()
        {
            using var m = new FakeJujuModel();
            Assert.Empty(m.Target().GetIdps(SilentHost.Instance));
            Assert.Single(m.Calls());
        }

        [Fact]
        public void RedirectUriReadFromTheRealLeaderUnit()
        {
            // The second seeded IdP's leader is unit /1: the action's top-level key is that unit.
            using var m = new FakeJujuModel(idps: 2);
            var r = m.Target().GetRedirectUri("google-idp", new OperationOptions(), SilentHost.Instance);
            Assert.Equal("Action", r.Source);
            Assert.Single(m.Calls());
            Assert.StartsWith("https://iam.example.com/self-service/methods/oidc/callback/google_", r.RedirectUri);
        }

        [Theory]
        [InlineData("3.6.1-genericlinux-amd64")]
        [InlineData("2.9.49-ubuntu-amd64")]
        public void RedirectUriComputedWhenTheActionCannotAnswer(string version)
        {
            using var m = new FakeJujuModel(version: version);
            var t = m.Target();
            t.Add(null, GoogleIdp(), new OperationOptions(), SilentHost.Instance);
            // No status call yet: kratos hasn't registered the provider, the action fails.
            var r = t.GetRedirectUri("corp-google-idp", new OperationOptions(), SilentHost.Instance);
            Assert.Equal("Computed", r.Source);
            Assert.Equal("https://iam.example.com/self-service/methods/oidc/callback/corp-google", r.RedirectUri);
            Assert.Contains("No redirect uri is found", r.Reason);
        }

        [Fact]
        public void RedirectUriWithPublicUrlParameter()
        {
            using var m = new FakeJujuModel();
            var t = m.Target();
            t.Add(null, GoogleIdp(), new OperationOptions(), SilentHost.Instance);
            m.ClearLog();
            var r = t.GetRedirectUri("corp-google-idp", new OperationOptions { PublicUrl = "https://login.corp.example/auth/" }, SilentHost.Instance);
            Assert.Equal("https://login.corp.example/auth/self-service/methods/oidc/callback/corp-google", r.RedirectUri);
            Assert.DoesNotContain(m.Calls(), c => c[0] == "show-unit");
        }

        [Fact]
        public void ActionOnlyRefusesAComputedUri()
        {
            using var m = new FakeJujuModel();
            var t = m.Target();
            t.Add(null, GoogleIdp(), new OperationOptions(), SilentHost.Instance);
            t.Remove("corp-google-idp", new OperationOptions(), SilentHost.Instance);
            var e = Assert.Throws<ExternalIdpException>(() => t.GetRedirectUri("corp-google-idp", new OperationOptions { ActionOnly = true }, SilentHost.Instance));
            Assert.Equal(ErrorIds.RedirectUriUnavailable, e.ErrorId);
            Assert.Contains("No redirect uri is found", e.Message);
            Assert.Contains("not related", e.Message);
        }

        [Fact]
        public void PublicUrlOnKratos2FromTraefikRoute()
        {
            using var m = new FakeJujuModel();
            var p = m.Target().GetPublicUrl(new OperationOptions(), SilentHost.Instance);
            Assert.Equal("https://iam.example.com", p.PublicUrl);
            Assert.Equal("traefik-route", p.Source);
            Assert.Equal(new[] { "show-unit", "kratos/0", "--endpoint", "public-route", "--format", "json" }, m.Calls().Last());
        }

        [Theory]
        [InlineData("3.6.1-genericlinux-amd64")]
        [InlineData("2.9.49-ubuntu-amd64")]
        public void Kratos1UsesTheIngressPathPrefix(string version)
        {
            using var m = new FakeJujuModel(seed: "kratos1", version: version);
            var t = m.Target();
            var p = t.GetPublicUrl(new OperationOptions(), SilentHost.Instance);
            Assert.Equal("https://iam.example.com/iam-kratos", p.PublicUrl);
            Assert.Equal("show-proxied-endpoints", p.Source);

            t.Add(null, GoogleIdp(), new OperationOptions(), SilentHost.Instance);
            var computed = t.GetRedirectUri("corp-google-idp", new OperationOptions(), SilentHost.Instance);
            Assert.Equal("Computed", computed.Source);
            Assert.Equal("https://iam.example.com/iam-kratos/self-service/methods/oidc/callback/corp-google", computed.RedirectUri);

            m.Status(); // kratos registers the provider
            var action = t.GetRedirectUri("corp-google-idp", new OperationOptions(), SilentHost.Instance);
            Assert.Equal("Action", action.Source);
            Assert.Equal(computed.RedirectUri, action.RedirectUri);
        }

        [Fact]
        public void ModelParameterIsPassedToEveryCommand()
        {
            using var m = new FakeJujuModel();
            var t = m.Target(model: "microk8s:admin/iam");
            t.Add(null, GoogleIdp(), new OperationOptions(), SilentHost.Instance);
            t.GetIdps(SilentHost.Instance);
            foreach (var c in m.Calls()) Assert.Equal(new[] { "-m", "microk8s:admin/iam" }, c.Skip(1).Take(2));
            var idp = t.GetIdps(SilentHost.Instance)[0];
            Assert.Equal("microk8s:admin/iam", idp.Model);
        }

        [Fact]
        public void CurrentModelIsStampedFromStatus()
        {
            using var m = new FakeJujuModel(idps: 1);
            var idp = m.Target().GetIdps(SilentHost.Instance)[0];
            Assert.Equal("microk8s:iam", idp.Model);
        }

        [Fact]
        public void VersionIsAskedOncePerJujuExecutable()
        {
            using var m = new FakeJujuModel();
            m.Target().Add(null, GoogleIdp(), new OperationOptions(), SilentHost.Instance);
            m.Target().Add(null, MicrosoftIdp(), new OperationOptions(), SilentHost.Instance);
            m.Target().GetRedirectUri("microsoft-idp", new OperationOptions(), SilentHost.Instance);
            Assert.Single(m.Calls(withVersion: true), c => c[0] == "version");
        }

        [Fact]
        public void ConcurrentJobsOnDifferentJujuVersionsDoNotMix()
        {
            // Runbook jobs share a process: each target keeps to its own juju and version.
            using var a = new FakeJujuModel(version: "3.6.1-genericlinux-amd64");
            using var b = new FakeJujuModel(version: "2.9.49-ubuntu-amd64");
            var jobs = new[] { a, b, a, b }.Select((m, i) => System.Threading.Tasks.Task.Run(() =>
                m.Target().Add("idp" + (char)('a' + i), GoogleIdp("id-" + i), new OperationOptions(), SilentHost.Instance))).ToArray();
            System.Threading.Tasks.Task.WaitAll(jobs);
            Assert.All(jobs, j => Assert.True(j.Result.Related));
            Assert.All(a.Calls(), c => Assert.NotEqual("add-relation", c[0]));
            Assert.All(b.Calls(), c => Assert.NotEqual("integrate", c[0]));
            Assert.Equal(2, a.Calls().Count(c => c[0] == "integrate"));
            Assert.Equal(2, b.Calls().Count(c => c[0] == "add-relation"));
        }

        [Fact]
        public void AddWithChannelAndMapper()
        {
            using var m = new FakeJujuModel();
            var s = GoogleIdp();
            s.JsonnetMapper = "local claims = std.extVar('claims');\n{ identity: { traits: { email: claims.email } } }\n";
            var idp = m.Target().Add("gsso", s, new OperationOptions { Channel = "latest/edge" }, SilentHost.Instance);
            Assert.Equal("latest/edge", (string)m.App("gsso")["Channel"]);
            Assert.Equal(s.JsonnetMapper, (string)m.App("gsso")["Config"]!["jsonnet_mapper"]);
            Assert.Equal(DefaultMapper.ToMapperUrl(s.JsonnetMapper), idp.MapperUrl);
            Assert.Contains(m.Calls()[1], a => a == "--channel");

            // A base64:// mapper URL is decoded: the charm takes the source.
            var s2 = MicrosoftIdp();
            s2.MapperUrl = DefaultMapper.UrlFor(ProviderCatalog.Resolve("microsoft"));
            m.Target().Add(null, s2, new OperationOptions(), SilentHost.Instance);
            Assert.Equal(DefaultMapper.Microsoft.Replace("\r\n", "\n"), (string)m.App("microsoft-idp")["Config"]!["jsonnet_mapper"]);
            var got = m.Target().GetIdps(SilentHost.Instance).Single(i => i.Name == "microsoft-idp");
            Assert.Equal(s2.MapperUrl, got.MapperUrl);
        }

        [Fact]
        public void AppleWithSingleLineValuesWorks()
        {
            using var m = new FakeJujuModel();
            var s = new IdpSettings
            {
                Provider = "apple", ClientId = "com.example.web", AppleTeamId = "ABCDE12345", ApplePrivateKeyId = "KEY1234567",
                ApplePrivateKey = TestSecrets.Plain("-----BEGIN PRIVATE KEY----- MIGTAgEAMBMGByqGSM49 -----END PRIVATE KEY-----"),
            };
            var idp = m.Target().Add(null, s, new OperationOptions(), SilentHost.Instance);
            Assert.Equal("apple-idp", idp.Name);
            Assert.True(idp.HasApplePrivateKey);
            Assert.False(idp.HasClientSecret);
            Assert.DoesNotContain("MIGTAgEAMBMGByqGSM49", m.LogText);
        }
    }
}
