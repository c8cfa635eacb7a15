using System;
using System.IO;
using System.Linq;
using ExternalIdp.Core;
using Newtonsoft.Json.Linq;
using Xunit;
using static ExternalIdp.Core.Tests.Juju.JujuWorkflowTests;

namespace ExternalIdp.Core.Tests.Juju
{
    /// <summary>
    /// The juju 3 snap is strictly confined: a private /tmp, no hidden folders of $HOME. The workflow against a
    /// fake juju found at a path with /snap/ in it, with the snap's confinement on and off (JujuWorkflowTests
    /// runs it against a juju that is not the snap).
    /// </summary>
    public class JujuSnapTests
    {
        private const string Rotated = "rotated-SNAP-secret-0042";

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void WholeWorkflowWithTheJujuSnap(bool confined)
        {
            using var m = new FakeJujuModel(snap: true, confined: confined);
            var host = new RecordingHost();
            var t = m.Target();

            // Add: deploy --config with a private file in ~/snap/juju/common, which the snap can read.
            var ms = t.Add(null, MicrosoftIdp(), new OperationOptions(), host);
            Assert.True(ms.Related);
            var add = m.Calls();
            Assert.Equal(new[] { "export-bundle", "deploy", "integrate" }, add.Select(c => c[0]));
            var file = m.LogLines().Single(l => l["files"] != null)["files"]!.Single();
            Assert.StartsWith(m.SnapCommon + Path.DirectorySeparatorChar, (string)file["path"]);
            Assert.True((bool)file["exists"]!);
            if (!OperatingSystem.IsWindows()) Assert.Equal("600", (string)file["mode"]);
            Assert.Equal(MsSecret, (string)m.App("microsoft-idp")["Config"]!["client_secret"]);

            // Get.
            m.ClearLog();
            var idp = Assert.Single(t.GetIdps(host));
            Assert.Equal("microsoft-idp", idp.Name);
            Assert.Equal(new[] { "status", "export-bundle" }, m.Calls().Select(c => c[0]));

            // Set a secret and a label: juju config reads them from standard input.
            m.ClearLog();
            t.Set("microsoft-idp", new IdpSettings { ClientSecret = TestSecrets.Plain(Rotated), Label = "Staff" }, new OperationOptions(), host);
            Assert.Equal(new[] { "export-bundle", "config" }, m.Calls().Select(c => c[0]));
            Assert.Equal(new[] { "config", "microsoft-idp", "--file", "-" }, m.Calls()[1]);
            Assert.Equal(Rotated, (string)m.App("microsoft-idp")["Config"]!["client_secret"]);
            Assert.Equal("Staff", (string)m.App("microsoft-idp")["Config"]!["label"]);

            // Get-KratosRedirectUri: the action answers (kratos registered the provider at the status above).
            var uri = t.GetRedirectUri("microsoft-idp", new OperationOptions(), host);
            Assert.Equal("Action", uri.Source);
            Assert.Equal("https://iam.example.com/self-service/methods/oidc/callback/" + ms.ProviderId, uri.RedirectUri);

            // Disable and Enable, waiting for each.
            var off = t.SetEnabled("microsoft-idp", false, new OperationOptions { Wait = true, TimeoutSec = 30 }, host);
            Assert.Equal("The OIDC provider is disabled", off.StatusMessage);
            var on = t.SetEnabled("microsoft-idp", true, new OperationOptions { Wait = true, TimeoutSec = 30 }, host);
            Assert.Equal("The OIDC provider is ready", on.StatusMessage);
            Assert.Equal(uri.RedirectUri, on.RedirectUri);

            // Remove the relation, then the application.
            Assert.True(t.Remove("microsoft-idp", new OperationOptions(), host));
            Assert.False(m.Related("microsoft-idp"));
            Assert.True(t.Remove("microsoft-idp", new OperationOptions { RemoveApplication = true }, host));
            Assert.Null(m.App("microsoft-idp"));
            Assert.Equal("active", m.AppStatus("kratos").current);

            // No secret reached a command line or a message, and no options file was left in either folder.
            foreach (var secret in new[] { MsSecret, Rotated })
            {
                Assert.DoesNotContain(secret, m.LogText);
                Assert.DoesNotContain(secret, host.AllText);
            }
            Assert.All(m.Calls(withVersion: true), c => Assert.DoesNotContain(c, a => a.Contains(MsSecret) || a.Contains(Rotated)));
            Assert.Empty(Directory.GetFileSystemEntries(m.TempDir));
            Assert.Empty(Directory.GetFileSystemEntries(m.SnapCommon));
        }

        [Fact]
        public void TheConfinedSnapCannotReadTheTempFolder()
        {
            // What happened before: a file in /tmp handed to the confined snap. The fake fails as juju does, so the
            // workflow above would fail if the module wrote the file there.
            using var m = new FakeJujuModel(idps: 1, confined: true);
            var e = Assert.Throws<ExternalIdpException>(() => m.Target().Add(null, MicrosoftIdp(), new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.JujuCommandFailed, e.ErrorId);
            if (m.TempDir.StartsWith("/tmp/", StringComparison.Ordinal))
                Assert.Contains($"ERROR open {m.TempDir}/externalidp-", e.Message);
            Assert.Matches("(no such file or directory|permission denied)", e.Message);
            Assert.Contains("Nothing was deployed", e.Message);
            Assert.Null(m.App("microsoft-idp"));
            Assert.Empty(Directory.GetFileSystemEntries(m.TempDir));

            // Standard input needs no file: Set works on the same juju.
            m.Target().Set("github-idp", new IdpSettings { ClientSecret = TestSecrets.Plain(Rotated) }, new OperationOptions(), SilentHost.Instance);
            Assert.Equal(Rotated, (string)m.App("github-idp")["Config"]!["client_secret"]);
        }

        [Fact]
        public void SnapFolderIsCreatedWhenMissingAndCleanedOfOrphans()
        {
            using var m = new FakeJujuModel(snap: true, confined: true);
            Assert.False(Directory.Exists(m.SnapCommon));
            m.Target().Add(null, GoogleIdp(), new OperationOptions(), SilentHost.Instance);
            Assert.True(Directory.Exists(m.SnapCommon));

            // A file left by a process that no longer runs is removed by the next deploy.
            int gone;
            using (var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true, UseShellExecute = false })!)
            {
                p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                gone = p.Id;
            }
            var orphan = Path.Combine(m.SnapCommon, $"externalidp-{gone}-{Guid.NewGuid():N}.yaml");
            File.WriteAllText(orphan, "app:\n  client_secret: \"left-behind\"\n");
            m.Target().Add(null, MicrosoftIdp(), new OperationOptions(), SilentHost.Instance);
            Assert.False(File.Exists(orphan));
            Assert.Empty(Directory.GetFileSystemEntries(m.SnapCommon));
        }
    }
}
