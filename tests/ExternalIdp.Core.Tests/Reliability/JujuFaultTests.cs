using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ExternalIdp.Core;
using ExternalIdp.Core.Juju;
using ExternalIdp.Core.Tests.Juju;
using Newtonsoft.Json.Linq;
using Xunit;

namespace ExternalIdp.Core.Tests.Reliability
{
    /// <summary>
    /// The fake juju failing or hanging at each step of Add, Set and Remove: a clear error within
    /// -TimeoutSec that says what was left, a model that is in exactly that state, a re-run that finishes
    /// the job, and no options file (which holds secrets) left behind.
    /// </summary>
    public static class JujuFaultTests
    {
        /// <summary>
        /// -TimeoutSec of the call that meets the hang: short, so the test is quick, yet long enough for the
        /// calls before the hanging one on a busy machine. Every other call gets <see cref="TimeoutSec"/>.
        /// </summary>
        private const int HangTimeoutSec = 3;
        private const int TimeoutSec = 60;
        private const string NewSecret = "rotated-SECRET-7f3e9a";

        /// <summary>The model (applications, relations, options) without the fake's call counters.</summary>
        private static JToken Models(FakeJujuModel m)
        {
            if (!File.Exists(m.StatePath)) m.Juju("status"); // the fake creates its state at the first call
            return m.State["Models"];
        }

        private static (ExternalIdpException Error, RecordingHost Host) Run(FakeJujuModel m, string mode, string step, Func<JujuTarget, RecordingHost, object> op)
        {
            m.Env[mode == "fail" ? "FAKE_JUJU_FAIL" : "FAKE_JUJU_HANG"] = step;
            var host = new RecordingHost();
            var watch = Stopwatch.StartNew();
            var ex = Assert.Throws<ExternalIdpException>(() => op(m.Target(), host));
            // Bounded, not timed: a hang is given up after -TimeoutSec (this only catches one that isn't).
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(HangTimeoutSec + 30), $"{mode} {step}: took {watch.Elapsed}");
            m.Env.Remove("FAKE_JUJU_FAIL");
            m.Env.Remove("FAKE_JUJU_HANG");
            Assert.Contains("juju " + step, ex.Message);
            if (mode == "hang") Assert.Contains($"within {HangTimeoutSec} s", ex.Message);
            Assert.Empty(Directory.GetFileSystemEntries(m.TempDir));
            foreach (var secret in new[] { JujuWorkflowTests.MsSecret, NewSecret })
            {
                Assert.DoesNotContain(secret, ex.Message);
                Assert.DoesNotContain(secret, host.AllText);
                Assert.DoesNotContain(secret, m.LogText);
            }
            return (ex, host);
        }

        private static OperationOptions Opt(string mode = null, bool wait = false, bool removeApp = false)
            => new OperationOptions { TimeoutSec = mode == "hang" ? HangTimeoutSec : TimeoutSec, Wait = wait, RemoveApplication = removeApp };

        /// <summary>Add, step by step. Each class runs beside the others: most of their time is spent waiting out hangs.</summary>
        public class Adding
        {
            [Theory]
            [InlineData("fail", "export-bundle")]
            [InlineData("hang", "export-bundle")]
            [InlineData("fail", "deploy")]
            [InlineData("hang", "deploy")]
            [InlineData("fail", "version")]
            [InlineData("hang", "version")]
            [InlineData("fail", "integrate")]
            [InlineData("hang", "integrate")]
            public void Add(string mode, string step)
            {
                using var m = new FakeJujuModel();
                var before = Models(m);
                var (e, _) = Run(m, mode, step, (t, h) => t.Add(null, JujuWorkflowTests.MicrosoftIdp(), Opt(mode), h));
                var app = m.App("microsoft-idp");
                switch (step)
                {
                    case "export-bundle":
                        Assert.Equal(mode == "fail" ? ErrorIds.JujuCommandFailed : ErrorIds.JujuTimeout, e.ErrorId);
                        Assert.EndsWith("Nothing was changed.", e.Message);
                        Assert.True(JToken.DeepEquals(before, Models(m)));
                        break;
                    case "deploy":
                        Assert.Equal(mode == "fail" ? ErrorIds.JujuCommandFailed : ErrorIds.JujuTimeout, e.ErrorId);
                        Assert.Contains(mode == "fail" ? "Nothing was deployed" : "may or may not have been deployed", e.Message);
                        Assert.Null(app);
                        break;
                    default: // deployed, then relating failed or was stopped
                        Assert.Equal(ErrorIds.JujuPartialState, e.ErrorId);
                        Assert.Contains("'microsoft-idp' exists", e.Message);
                        Assert.Contains(mode == "hang" && step == "integrate" ? "may or may not be related" : "is not related", e.Message);
                        Assert.NotNull(app);
                        Assert.False(m.Related("microsoft-idp"));
                        break;
                }
                Assert.Contains("again", e.Message);
                // The same command again finishes the job.
                var idp = m.Target().Add(null, JujuWorkflowTests.MicrosoftIdp(), Opt(), new RecordingHost());
                Assert.Equal("microsoft-idp", idp.Name);
                Assert.True(m.Related("microsoft-idp"));
                Assert.Equal(JujuWorkflowTests.MsSecret, (string)m.App("microsoft-idp")["Config"]["client_secret"]);
                Assert.Single(((JObject)m.State["Models"].First.First["Applications"]).Properties(), p => p.Name.StartsWith("microsoft-idp"));
                Assert.Empty(Directory.GetFileSystemEntries(m.TempDir));
            }
        }

        /// <summary>Add -Wait: the IdP is there even when the wait fails.</summary>
        public class Waiting
        {
            [Theory]
            [InlineData("fail", "status")]
            [InlineData("hang", "status")]
            [InlineData("fail", "run")]
            public void Add_with_wait(string mode, string step)
            {
                using var m = new FakeJujuModel();
                var (e, _) = Run(m, mode, step, (t, h) => t.Add(null, JujuWorkflowTests.MicrosoftIdp(), Opt(mode, wait: true), h));
                Assert.Equal(mode == "fail" ? ErrorIds.JujuCommandFailed : ErrorIds.JujuTimeout, e.ErrorId);
                Assert.Contains("The IdP itself was added", e.Message);
                Assert.True(m.Related("microsoft-idp"));
                // As the message says: it is there, and Add again says so.
                Assert.Equal(ErrorIds.IdpAlreadyExists, Assert.Throws<ExternalIdpException>(() => m.Target().Add(null, JujuWorkflowTests.MicrosoftIdp(), Opt(), new RecordingHost())).ErrorId);
                Assert.Contains(m.Target().GetIdps(null), i => i.Name == "microsoft-idp" && i.Related == true);
            }

            [Theory]
            [InlineData("fail", "status", true)]
            [InlineData("hang", "status", false)]
            [InlineData("fail", "run", true)]
            public void Enable_and_disable_with_wait(string mode, string step, bool enable)
            {
                using var m = new FakeJujuModel(idps: 1);
                if (enable) m.Juju("config", "github-idp", "enabled=false");
                var (e, _) = Run(m, mode, step, (t, h) => t.SetEnabled("github-idp", enable, Opt(mode, wait: true), h));
                Assert.Equal(mode == "fail" ? ErrorIds.JujuCommandFailed : ErrorIds.JujuTimeout, e.ErrorId);
                var state = enable ? "enabled" : "disabled";
                var command = enable ? "Enable-KratosIdp" : "Disable-KratosIdp";
                Assert.Contains($"The option was set: 'github-idp' is {state}", e.Message);
                Assert.Contains($"only waiting for it to be {(enable ? "ready" : "disabled")} failed", e.Message);
                Assert.Contains($"Run the same {command} -Wait command again", e.Message);
                Assert.Equal(enable ? "true" : "false", (string)m.App("github-idp")["Config"]["enabled"]);
                // As the message says: the same command again changes nothing more and finishes the wait.
                m.ClearLog();
                var idp = m.Target().SetEnabled("github-idp", enable, Opt(wait: true), new RecordingHost());
                Assert.Equal(enable ? "The OIDC provider is ready" : "The OIDC provider is disabled", idp.StatusMessage);
                Assert.DoesNotContain(m.Calls(), c => c[0] == "config");
                if (enable) Assert.StartsWith("https://iam.example.com/self-service/methods/oidc/callback/github_", idp.RedirectUri);
            }
        }

        /// <summary>Set-KratosIdpProvider, Disable-KratosIdp and Enable-KratosIdp.</summary>
        public class Changing
        {
            [Theory]
            [InlineData("fail", "export-bundle")]
            [InlineData("hang", "export-bundle")]
            [InlineData("fail", "config")]
            [InlineData("hang", "config")]
            public void Set(string mode, string step)
            {
                using var m = new FakeJujuModel();
                m.Target().Add(null, JujuWorkflowTests.MicrosoftIdp(), Opt(), new RecordingHost());
                var before = Models(m);
                var change = new IdpSettings { Label = "Staff login", ClientSecret = TestSecrets.Plain(NewSecret) };
                var (e, _) = Run(m, mode, step, (t, h) => t.Set("microsoft-idp", change, Opt(mode), h));
                Assert.Equal(mode == "fail" ? ErrorIds.JujuCommandFailed : ErrorIds.JujuTimeout, e.ErrorId);
                Assert.Contains(mode == "hang" && step == "config" ? "may or may not have changed" : "Nothing was changed.", e.Message);
                Assert.True(JToken.DeepEquals(before, Models(m)));
                m.Target().Set("microsoft-idp", change, Opt(), new RecordingHost());
                Assert.Equal(NewSecret, (string)m.App("microsoft-idp")["Config"]["client_secret"]);
                Assert.Equal("Staff login", (string)m.App("microsoft-idp")["Config"]["label"]);
                Assert.Empty(Directory.GetFileSystemEntries(m.TempDir));
            }

            [Theory]
            [InlineData("fail", "export-bundle", false)]
            [InlineData("hang", "config", false)]
            [InlineData("fail", "config", true)]
            public void Disable_and_enable(string mode, string step, bool enable)
            {
                using var m = new FakeJujuModel();
                m.Target().Add(null, JujuWorkflowTests.MicrosoftIdp(), Opt(), new RecordingHost());
                if (enable) m.Target().SetEnabled("microsoft-idp", false, Opt(), new RecordingHost());
                var before = Models(m);
                var (e, _) = Run(m, mode, step, (t, h) => t.SetEnabled("microsoft-idp", enable, Opt(mode), h));
                Assert.True(JToken.DeepEquals(before, Models(m)));
                if (mode == "fail") Assert.Contains("Nothing was changed.", e.Message);
                else Assert.Contains($"So 'microsoft-idp' may or may not be {(enable ? "enabled" : "disabled")} now. Run the same {(enable ? "Enable" : "Disable")}-KratosIdp command again", e.Message);
                m.Target().SetEnabled("microsoft-idp", enable, Opt(), new RecordingHost());
                Assert.Equal(enable ? "true" : "false", (string)m.App("microsoft-idp")["Config"]["enabled"]);
            }
        }

        /// <summary>Remove, with and without -RemoveApplication.</summary>
        public class Removing
        {
            [Theory]
            [InlineData("fail", "status", false)]
            [InlineData("hang", "status", false)]
            [InlineData("fail", "remove-relation", false)]
            [InlineData("hang", "remove-relation", false)]
            [InlineData("fail", "version", true)]
            [InlineData("fail", "remove-application", true)]
            [InlineData("hang", "remove-application", true)]
            public void Remove(string mode, string step, bool removeApplication)
            {
                using var m = new FakeJujuModel(idps: 1);
                var before = Models(m);
                Assert.True(m.Related("github-idp"));
                var (e, _) = Run(m, mode, step, (t, h) => t.Remove("github-idp", Opt(mode, removeApp: removeApplication), h));
                Assert.Equal(mode == "fail" ? ErrorIds.JujuCommandFailed : ErrorIds.JujuTimeout, e.ErrorId);
                if (mode == "hang" && step.StartsWith("remove-")) Assert.Contains("may or may not", e.Message);
                else if (step == "remove-relation") Assert.Contains("still related", e.Message);
                else if (step == "remove-application") Assert.Contains("was not removed and is still related", e.Message);
                else Assert.EndsWith("Nothing was changed.", e.Message);
                Assert.True(JToken.DeepEquals(before, Models(m)));
                Assert.True(m.Target().Remove("github-idp", Opt(removeApp: removeApplication), new RecordingHost()));
                Assert.False(m.Related("github-idp"));
                if (removeApplication) Assert.Null(m.App("github-idp"));
                else Assert.NotNull(m.App("github-idp"));
            }
        }
    }
}
