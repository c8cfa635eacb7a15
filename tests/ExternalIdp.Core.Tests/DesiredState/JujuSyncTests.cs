using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ExternalIdp.Core;
using ExternalIdp.Core.ConfigFile;
using ExternalIdp.Core.DesiredState;
using ExternalIdp.Core.Juju;
using ExternalIdp.Core.Tests.Juju;
using Xunit;

namespace ExternalIdp.Core.Tests.DesiredState
{
    /// <summary>Compare and Sync on a Juju model (the fake juju), and IdPs moved between a config file and Juju.</summary>
    public class JujuSyncTests
    {
        private const string MsSecret = "ms-desired-S3cret~1234";

        private static DesiredIdp Entra(string name = "entra")
        {
            var d = DesiredSupport.Desired(name, s =>
            {
                s.Provider = "microsoft";
                s.ClientId = "c3d7e1a2-ms-client";
                s.TenantId = "contoso.onmicrosoft.com";
                s.ClientSecret = TestSecrets.Plain(MsSecret);
                s.Label = "Contoso";
            });
            d.SecretNames["client_secret"] = "entra";
            return d;
        }

        [Fact]
        public void SyncAddsChangesAndASecondSyncCostsOnlyTheTwoReads()
        {
            using var m = new FakeJujuModel(idps: 2);
            var t = m.Target();
            var host = new AskingHost();
            var github = DesiredSupport.Desired("github-idp", s => s.Label = "GitHub staff");
            var r = DesiredSupport.Sync(t, host, false, true, github, Entra(), DesiredSupport.Google("google_workspace"));
            Assert.All(r.Plans, p => Assert.Null(p.Error));
            Assert.Equal(new[] { PlanAction.Change, PlanAction.Add, PlanAction.Add }, r.Plans.Select(p => p.Action));
            Assert.Equal("google-workspace-idp", r.Plans[2].Name);   // the name Juju takes, derived
            Assert.Equal("google_workspace", r.Plans[2].Result.ProviderId);
            Assert.Equal("GitHub staff", (string)m.App("github-idp")["Config"]!["label"]);
            Assert.Equal("seed-secret-1", (string)m.App("github-idp")["Config"]!["client_secret"]);
            Assert.Equal(MsSecret, (string)m.App("entra")["Config"]!["client_secret"]);
            Assert.Equal("entra", (string)m.App("entra")["Config"]!["provider_id"]);
            Assert.True(m.Related("entra"));
            Assert.True(m.Related("google-workspace-idp"));
            DesiredSupport.NoSecretIn(host.AllText + m.LogText);
            Assert.DoesNotContain(MsSecret, host.AllText + m.LogText);

            m.ClearLog();
            var again = DesiredSupport.Sync(t, new AskingHost(), false, false, github, Entra(), DesiredSupport.Google("google_workspace"));
            Assert.All(again.Plans, p => Assert.Equal(PlanAction.None, p.Action));
            Assert.Equal(new[] { "status", "export-bundle" }, m.Calls().Select(c => c[0]));
        }

        [Fact]
        public void WhatJujuCantHoldIsRefusedForThatIdpBeforeAnythingChanges()
        {
            using var m = new FakeJujuModel(idps: 1);
            var t = m.Target();
            var pkce = DesiredSupport.Google("pkce-idp");
            pkce.Settings.Pkce = "force";
            var salesforce = DesiredSupport.Desired("sf-idp", s => { s.Provider = "salesforce"; s.ClientId = "c"; s.ClientSecret = TestSecrets.Plain("sf-secret-1"); });
            var extra = DesiredSupport.Desired("github-idp");
            extra.Extras["auth_url"] = "https://example.com/auth";
            var numeric = DesiredSupport.Desired("fb-idp", s => { s.Provider = "facebook"; s.ClientId = "1234567890"; s.ClientSecret = TestSecrets.Plain("fb-secret-1"); });
            var fileMapper = DesiredSupport.Google("mapped-idp");
            fileMapper.Settings.MapperUrl = "file:///etc/kratos/google.jsonnet";
            m.ClearLog();
            var r = DesiredSupport.Sync(t, new AskingHost(), false, false, pkce, salesforce, extra, numeric, fileMapper, Entra());
            Assert.Equal(ErrorIds.ParameterNotSupported, r.Plans[0].Error.ErrorId);
            Assert.Contains("-Pkce", r.Plans[0].Error.Message);
            Assert.Equal(ErrorIds.ProviderNotSupported, r.Plans[1].Error.ErrorId);
            Assert.Equal(ErrorIds.ParameterNotSupported, r.Plans[2].Error.ErrorId);
            Assert.Contains("'auth_url'", r.Plans[2].Error.Message);
            Assert.Equal(ErrorIds.JujuUnsafeValue, r.Plans[3].Error.ErrorId);
            Assert.Equal(ErrorIds.ParameterNotSupported, r.Plans[4].Error.ErrorId);
            Assert.Null(r.Plans[5].Error);
            // Only the good one was deployed.
            Assert.Equal(new[] { "status", "export-bundle", "export-bundle", "deploy", "integrate" }, m.Calls().Select(c => c[0]));
        }

        [Fact]
        public void PruneRemovesTheRelationOrWithRemoveApplicationTheIntegrator()
        {
            using var m = new FakeJujuModel(idps: 3);
            var t = m.Target();
            var keep = DesiredSupport.Desired("github-idp");
            var cmp = DesiredSupport.Compare(t, true, keep).Plans.SelectMany(p => p.Differences).Select(d => d.ToString()).ToList();
            Assert.Equal(new[] { "Remove gitlab-idp", "Remove google-idp" }, cmp.OrderBy(x => x));
            var r = t.SyncDesired(new SyncRequest { Desired = new[] { keep }, Prune = true, RemoveApplication = true }, new OperationOptions(), new AskingHost());
            Assert.All(r.Plans.Where(p => p.Action == PlanAction.Remove), p => Assert.True(p.Applied));
            Assert.Null(m.App("google-idp"));
            Assert.Equal(new[] { "github-idp" }, t.GetIdps(null).Select(i => i.Name));
            m.ClearLog();
            Assert.All(DesiredSupport.Sync(t, new AskingHost(), true, false, keep).Plans, p => Assert.Equal(PlanAction.None, p.Action));
            Assert.Equal(2, m.Calls().Count);
        }

        [Fact]
        public void FileToJujuToFileKeepsProviderIdsAndSecrets()
        {
            const string config = @"version: v1.3.0
serve:
  public:
    base_url: https://auth.example.com/
selfservice:
  methods:
    oidc:
      enabled: true
      config:
        providers:
          - id: google
            provider: google
            label: Google
            client_id: 1234-abc.apps.googleusercontent.com
            client_secret: GOCSPX-moved-google-secret
            scope: [email, profile]
          - id: microsoft_6e1ce1792c6e3594dfc2f2e9f53d386fcfab4d36
            provider: microsoft
            client_id: client_id
            client_secret: moved-ms-secret-value
            microsoft_tenant: some-tenant.example.com
";
            var dir = Path.Combine(Path.GetTempPath(), "eidp-move-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(dir);
            try
            {
                var oldPath = Path.Combine(dir, "old.yml");
                File.WriteAllText(oldPath, config);
                var old = new ConfigFileTarget(oldPath, null);
                using var m = new FakeJujuModel();
                var juju = m.Target();
                var host = new AskingHost();

                // Get-KratosIdp -ConfigPath old.yml | Sync-KratosIdp -Model ...: objects without secrets, secrets read again inside.
                var fromFile = old.GetIdps(host).Select(i => { var d = DesiredFrom.Idp(i, "pipeline"); d.From = i; return d; }).ToList();
                Assert.All(old.GetIdps(host), i => Assert.True(i.HasClientSecret));
                var desired = Carried.Fill(fromFile, i => Targets.Open(i.ConfigPath, i.ConfigRoot, i.Model, i.KratosApplication), new OperationOptions(), host, (d, e) => throw e);
                var r = juju.SyncDesired(new SyncRequest { Desired = desired }, new OperationOptions(), host);
                Assert.All(r.Plans, p => Assert.Null(p.Error));
                // A name Juju can't take as an application name gets one derived from it.
                const string msApp = "microsoft-6e1ce1792c6e3594dfc2f2e9f53d38-idp";
                Assert.Equal(new[] { "google", msApp }, r.Plans.Select(p => p.Name));
                Assert.Equal("GOCSPX-moved-google-secret", (string)m.App("google")["Config"]!["client_secret"]);
                Assert.Equal("moved-ms-secret-value", (string)m.App(msApp)["Config"]!["client_secret"]);
                var onJuju = juju.GetIdps(host).ToDictionary(i => i.Name);
                Assert.Equal("google", onJuju["google"].ProviderId);
                Assert.Equal("microsoft_6e1ce1792c6e3594dfc2f2e9f53d386fcfab4d36", onJuju[msApp].ProviderId);
                var rendered = m.KratosConfig();
                Assert.Null((string)rendered["error"]);
                Assert.Contains("GOCSPX-moved-google-secret", (string)rendered["rendered"]);
                Assert.Empty(juju.SyncDesired(new SyncRequest { Desired = desired, DryRun = true }, new OperationOptions(), host).Plans.SelectMany(p => p.Differences));

                // And back from Juju into a new file: the same ids and secrets.
                var newPath = Path.Combine(dir, "new.yml");
                File.WriteAllText(newPath, DesiredSupport.Empty);
                var fresh = new ConfigFileTarget(newPath, null);
                var fromJuju = juju.GetIdps(host).Select(i => { var d = DesiredFrom.Idp(i, "pipeline"); d.From = i; return d; }).ToList();
                desired = Carried.Fill(fromJuju, i => m.Target(i.Model, i.KratosApplication), new OperationOptions(), host, (d, e) => throw e);
                r = fresh.SyncDesired(new SyncRequest { Desired = desired }, new OperationOptions(), host);
                Assert.All(r.Plans, p => Assert.Null(p.Error));
                var back = DesiredSupport.Compare(fresh).Snapshot.Idps.ToDictionary(i => i.Idp.ProviderId);
                Assert.Equal(new[] { "google", "microsoft_6e1ce1792c6e3594dfc2f2e9f53d386fcfab4d36" }, back.Keys.OrderBy(k => k));
                Assert.Equal("GOCSPX-moved-google-secret", back["google"].Secret(FieldTable.ClientSecret));
                Assert.Equal("moved-ms-secret-value", back["microsoft_6e1ce1792c6e3594dfc2f2e9f53d386fcfab4d36"].Secret(FieldTable.ClientSecret));
                Assert.Equal("some-tenant.example.com", back["microsoft_6e1ce1792c6e3594dfc2f2e9f53d386fcfab4d36"].Idp.TenantId);
                // The integrators left the mapper to the charm: in the file they get the default one, so Kratos takes the entries.
                Assert.All(fresh.GetIdps(host), i => Assert.Equal("Valid", i.Status));
                Assert.All(fresh.GetIdps(host), i => Assert.StartsWith("base64://", i.MapperUrl));
                foreach (var s in new[] { "GOCSPX-moved-google-secret", "moved-ms-secret-value" })
                    Assert.DoesNotContain(s, host.AllText + m.LogText);
            }
            finally { Directory.Delete(dir, true); }
        }
    }
}
