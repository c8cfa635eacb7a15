using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ExternalIdp.Core;
using ExternalIdp.Core.ConfigFile;
using ExternalIdp.Core.DesiredState;
using ExternalIdp.Core.Tests.ConfigFile;
using Xunit;

namespace ExternalIdp.Core.Tests.DesiredState
{
    /// <summary>A host that records and answers ShouldProcess per target (declines the targets listed).</summary>
    internal sealed class AskingHost : ICoreHost
    {
        public readonly HashSet<string> Decline = new HashSet<string>();
        public readonly List<(string Target, string Action)> Asked = new List<(string, string)>();
        public readonly List<string> Said = new List<string>();
        public void WriteVerbose(string message) => Said.Add(message);
        public void WriteDebug(string message) => Said.Add(message);
        public void WriteWarning(string message) => Said.Add(message);
        public void WriteProgress(string activity, string status, int percent, bool completed) => Said.Add(activity + " " + status);
        public bool ShouldProcess(string target, string action)
        {
            Asked.Add((target, action));
            return !Decline.Any(d => target.Contains("'" + d + "'"));
        }
        public CancellationToken Cancellation => CancellationToken.None;
        public string AllText => string.Join("\n", Said.Concat(Asked.Select(a => a.Target + " " + a.Action)));
    }

    internal static class DesiredSupport
    {
        public const string GithubSecret = "gh-secret-in-file-0123";
        public const string GoogleSecret = "GOCSPX-desired-google-secret";
        public const string CorpSecret = "corp-oidc-secret-#: 'x'";

        public const string Config = @"# Kratos configuration used by the desired-state tests.
version: v1.3.0

serve:
  public:
    base_url: https://auth.example.com/

selfservice:
  methods:
    password:
      enabled: true
    oidc:
      enabled: true
      config:
        providers:
          # GitHub sign-in for staff
          - id: github
            provider: github
            client_id: gh-client
            client_secret: gh-secret-in-file-0123
            mapper_url: file:///etc/config/kratos/oidc.github.jsonnet
            scope:
              - user:email
          - id: corp
            provider: generic
            label: Corp SSO
            client_id: corp-client
            client_secret: ""corp-oidc-secret-#: 'x'""
            issuer_url: https://sso.corp.example.com/realms/main
            auth_url: https://sso.corp.example.com/realms/main/auth
            mapper_url: file:///etc/config/kratos/oidc.corp.jsonnet
            requested_claims:
              id_token:
                email:
                  essential: true
            scope: [openid, email]

identity:
  default_schema_id: default
";

        public const string Empty = @"version: v1.3.0
serve:
  public:
    base_url: https://auth.example.com/
selfservice:
  methods:
    password:
      enabled: true
";

        public static DesiredIdp Desired(string name, Action<IdpSettings> set = null, string origin = "test")
        {
            var d = new DesiredIdp(name, origin);
            set?.Invoke(d.Settings);
            return d;
        }

        public static DesiredIdp Google(string name = "google")
        {
            var d = Desired(name, s =>
            {
                s.Provider = "google";
                s.ClientId = "1234-abc.apps.googleusercontent.com";
                s.ClientSecret = TestSecrets.Plain(GoogleSecret);
                s.Label = "Google";
            });
            d.SecretNames["client_secret"] = "google";
            return d;
        }

        public static SyncResult Sync(IIdpTarget t, ICoreHost host, bool prune = false, bool results = false, params DesiredIdp[] desired)
            => t.SyncDesired(new SyncRequest { Desired = desired, Prune = prune, WantResults = results }, new OperationOptions(), host);

        public static SyncResult Compare(IIdpTarget t, bool prune = false, params DesiredIdp[] desired)
            => t.SyncDesired(new SyncRequest { Desired = desired, Prune = prune, DryRun = true }, new OperationOptions(), SilentHost.Instance);

        public static void NoSecretIn(string text)
        {
            foreach (var s in new[] { GithubSecret, GoogleSecret, CorpSecret, "corp-oidc-secret" })
                Assert.DoesNotContain(s, text);
        }
    }

    public class ConfigFileSyncTests
    {
        private static string NewFile(string text = DesiredSupport.Config, string name = "kratos.yml")
        {
            var dir = Path.Combine(Path.GetTempPath(), "eidp-ds-" + Guid.NewGuid().ToString("N").Substring(0, 10));
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, name);
            File.WriteAllText(path, text);
            return path;
        }

        [Fact]
        public void ChangesOnlyWhatDiffersAddsWhatIsMissingAndTheSecondSyncWritesNothing()
        {
            var path = NewFile();
            var t = new ConfigFileTarget(path, null);
            var host = new AskingHost();
            var github = DesiredSupport.Desired("github", s => s.Label = "GitHub (staff)");
            var r = DesiredSupport.Sync(t, host, false, true, github, DesiredSupport.Google());
            Assert.All(r.Plans, p => Assert.Null(p.Error));
            Assert.Equal(new[] { PlanAction.Change, PlanAction.Add }, r.Plans.Select(p => p.Action));
            Assert.Equal(1, r.FileReads);
            Assert.Equal(1, r.FileWrites);
            Assert.Equal(2, host.Asked.Count);
            Assert.Equal(("IdP 'github' in " + path, "Change label: (none) -> 'GitHub (staff)'"), host.Asked[0]);
            Assert.StartsWith("Add the google provider (provider id 'google'", host.Asked[1].Action);
            DesiredSupport.NoSecretIn(host.AllText);

            var text = File.ReadAllText(path);
            // github: the label added, nothing else of it touched (its scope, mapper and secret stay).
            Assert.Contains("          - id: github\n            provider: github\n            client_id: gh-client\n            client_secret: gh-secret-in-file-0123\n            mapper_url: file:///etc/config/kratos/oidc.github.jsonnet\n            scope:\n              - user:email\n            label: GitHub (staff)\n", text);
            Assert.Contains("client_secret: " + DesiredSupport.GoogleSecret, text);
            Assert.Contains("requested_claims:\n              id_token:", text);
            var after = t.GetIdps(null);
            Assert.Equal(new[] { "github", "corp", "google" }, after.Select(i => i.Name));
            Assert.All(after, i => Assert.Equal("Valid", i.Status));
            Assert.Equal("GitHub (staff)", r.Plans[0].Result.Label);
            Assert.Equal("1234-abc.apps.googleusercontent.com", r.Plans[1].Result.ClientId);

            var bytes = File.ReadAllBytes(path);
            var stamp = File.GetLastWriteTimeUtc(path);
            var again = DesiredSupport.Sync(t, host, false, false, github, DesiredSupport.Google());
            Assert.All(again.Plans, p => Assert.Equal(PlanAction.None, p.Action));
            Assert.Equal(0, again.FileWrites);
            Assert.Equal(bytes, File.ReadAllBytes(path));
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
            Assert.Empty(DesiredSupport.Compare(t, false, github, DesiredSupport.Google()).Plans.SelectMany(p => p.Differences));
        }

        [Fact]
        public void ManyChangesAreOneWriteAndAKindChangeDropsWhatTheNewKindDoesntTake()
        {
            var path = NewFile();
            var t = new ConfigFileTarget(path, null);
            var corp = DesiredSupport.Desired("corp", s => { s.Provider = "google"; s.Scope = new[] { "email" }; });
            var github = DesiredSupport.Desired("github", s => { s.ClientId = "gh-client-2"; s.ClientSecret = TestSecrets.Plain("new-gh-secret-value"); });
            github.SecretNames["client_secret"] = "github";
            var host = new AskingHost();
            var r = DesiredSupport.Sync(t, host, false, false, corp, github);
            Assert.All(r.Plans, p => Assert.Null(p.Error));
            Assert.Equal(1, r.FileWrites);
            var diffs = r.Plans.SelectMany(p => p.Differences).Select(d => $"{d.Name}.{d.Property}").ToList();
            Assert.Equal(new[] { "corp.provider", "corp.scope", "github.client_id", "github.client_secret" }, diffs);
            var secretDiff = r.Plans[1].Differences.Single(d => d.Property == "client_secret");
            Assert.Equal("(secret 'github')", secretDiff.Desired);
            Assert.Equal("(differs)", secretDiff.Actual);
            Assert.Equal("Change client_id: 'gh-client' -> 'gh-client-2'; client_secret (secret 'github')", host.Asked.Single(a => a.Target.Contains("github")).Action);
            Assert.DoesNotContain("new-gh-secret-value", host.AllText);
            var idps = t.GetIdps(null).ToDictionary(i => i.Name);
            Assert.Equal("google", idps["corp"].Provider);
            Assert.Null(idps["corp"].IssuerUrl);
            Assert.Equal(new[] { "email" }, idps["corp"].Scope);
            Assert.Contains("new-gh-secret-value", File.ReadAllText(path));
            Assert.Contains(host.Said, s => s.Contains("removed issuer_url"));
        }

        [Fact]
        public void PruneRemovesExactlyTheIdpsTheDesiredStateDoesntName()
        {
            var path = NewFile();
            var t = new ConfigFileTarget(path, null);
            var keep = DesiredSupport.Desired("corp");
            var r = DesiredSupport.Sync(t, new AskingHost(), false, false, keep);
            Assert.Equal(0, r.FileWrites);
            Assert.Equal(2, t.GetIdps(null).Count);
            Assert.Empty(DesiredSupport.Compare(t, false, keep).Plans.SelectMany(p => p.Differences));
            var cmp = DesiredSupport.Compare(t, true, keep).Plans.SelectMany(p => p.Differences).ToList();
            Assert.Equal("Remove github", Assert.Single(cmp).ToString());
            r = DesiredSupport.Sync(t, new AskingHost(), true, false, keep);
            Assert.Equal(new[] { "corp" }, t.GetIdps(null).Select(i => i.Name));
            Assert.DoesNotContain("GitHub sign-in", File.ReadAllText(path).Replace("# GitHub", "GitHub")
                .Split('\n').Where(l => l.Contains("id: github")));

            // Nothing desired, with -Prune: the list is left empty (providers: []).
            r = DesiredSupport.Sync(t, new AskingHost(), true, false);
            Assert.Equal(1, r.FileWrites);
            Assert.Empty(t.GetIdps(null));
            Assert.Contains("providers: []", File.ReadAllText(path));
        }

        [Fact]
        public void AddsIntoAConfigWithoutProvidersAndRemovesEverythingInOneWrite()
        {
            var path = NewFile(DesiredSupport.Empty);
            var t = new ConfigFileTarget(path, null);
            var desired = Enumerable.Range(1, 5).Select(i => DesiredSupport.Google("google" + i)).ToArray();
            var r = DesiredSupport.Sync(t, new AskingHost(), false, false, desired);
            Assert.Equal(1, r.FileWrites);
            var idps = t.GetIdps(null);
            Assert.Equal(desired.Select(d => d.Name), idps.Select(i => i.Name));
            Assert.All(idps, i => Assert.True(i.Enabled));
            // Three removed and two added at once: one write.
            var next = new[] { desired[0], desired[1], DesiredSupport.Google("google6"), DesiredSupport.Google("google7") };
            r = DesiredSupport.Sync(t, new AskingHost(), true, false, next);
            Assert.Equal(1, r.FileWrites);
            Assert.Equal(next.Select(d => d.Name), t.GetIdps(null).Select(i => i.Name));
        }

        [Fact]
        public void JsonConfigsTakeRemovalsOfNeighboursAndAdditionsTogether()
        {
            var json = "{\n  \"selfservice\": {\n    \"methods\": {\n      \"oidc\": {\n        \"enabled\": true,\n        \"config\": {\n          \"providers\": [\n" +
                string.Join(",\n", Enumerable.Range(1, 4).Select(i => $"            {{\n              \"id\": \"g{i}\",\n              \"provider\": \"github\",\n              \"client_id\": \"c{i}\",\n              \"client_secret\": \"s{i}\",\n              \"mapper_url\": \"file:///m.jsonnet\"\n            }}")) +
                "\n          ]\n        }\n      }\n    }\n  }\n}\n";
            var path = NewFile(json, "kratos.json");
            var t = new ConfigFileTarget(path, null);
            var r = DesiredSupport.Sync(t, new AskingHost(), true, false, DesiredSupport.Desired("g1"), DesiredSupport.Desired("g2", s => s.Label = "Two"), DesiredSupport.Google("new"));
            Assert.All(r.Plans, p => Assert.Null(p.Error));
            Assert.Equal(1, r.FileWrites);
            Assert.Equal(new[] { "g1", "g2", "new" }, t.GetIdps(null).Select(i => i.Name));
            Newtonsoft.Json.Linq.JToken.Parse(File.ReadAllText(path));
        }

        [Fact]
        public void AnIdpThatFailsItsChecksIsRefusedAloneAndTheOthersAreSynced()
        {
            var path = NewFile();
            var t = new ConfigFileTarget(path, null);
            var badTenant = DesiredSupport.Desired("entra", s => { s.Provider = "microsoft"; s.ClientId = "c"; s.TenantId = "not a tenant"; s.ClientSecret = TestSecrets.Plain("x-secret"); });
            var noSecret = DesiredSupport.Desired("gitlab", s => { s.Provider = "gitlab"; s.ClientId = "c"; });
            noSecret.SecretNames["client_secret"] = "gitlab-app";
            noSecret.SecretProblems["client_secret"] = "the vault 'ci' has no secret 'gitlab-app'";
            var badKind = DesiredSupport.Desired("corp", s => s.Provider = "azure");
            var r = DesiredSupport.Sync(t, new AskingHost(), false, false, badTenant, noSecret, badKind, DesiredSupport.Google());
            Assert.Equal(ErrorIds.InvalidConfiguration, r.Plans[0].Error.ErrorId);
            Assert.StartsWith("Desired IdP 'entra' (test): ", r.Plans[0].Error.Message);
            Assert.Equal(ErrorIds.SecretNotFound, r.Plans[1].Error.ErrorId);
            Assert.Contains("the vault 'ci' has no secret 'gitlab-app'", r.Plans[1].Error.Message);
            Assert.Equal(ErrorIds.UnknownProvider, r.Plans[2].Error.ErrorId);
            Assert.Null(r.Plans[3].Error);
            Assert.Equal(new[] { "github", "corp", "google" }, t.GetIdps(null).Select(i => i.Name));
            Assert.Equal("generic", t.GetIdps(null)[1].Provider);
        }

        [Fact]
        public void DeclinedIdpsAreNotChangedAndAVersionTheFileDoesntAcceptIsRefused()
        {
            var path = NewFile();
            var t = new ConfigFileTarget(path, null);
            var host = new AskingHost();
            host.Decline.Add("github");
            var r = DesiredSupport.Sync(t, host, false, false, DesiredSupport.Desired("github", s => s.Label = "x"), DesiredSupport.Desired("corp", s => s.Label = "y"));
            Assert.False(r.Plans[0].Applied);
            Assert.True(r.Plans[1].Applied);
            Assert.Null(t.GetIdps(null)[0].Label);
            Assert.Equal("y", t.GetIdps(null)[1].Label);

            // The file says version: v1.3.0; account_linking_mode came with v26.2.0, the uaepass kind too.
            var linking = DesiredSupport.Desired("corp");
            linking.Extras["account_linking_mode"] = "automatic";
            var uae = DesiredSupport.Desired("uae", s => { s.Provider = "uaepass"; s.ClientId = "c"; s.ClientSecret = TestSecrets.Plain("uae-secret"); });
            var before = File.ReadAllText(path);
            r = DesiredSupport.Sync(t, new AskingHost(), false, false, linking, uae);
            Assert.Equal(ErrorIds.NotSupportedByVersion, r.Plans[0].Error.ErrorId);
            Assert.Contains("key 'account_linking_mode' (from v26.2.0)", r.Plans[0].Error.Message);
            Assert.Equal(ErrorIds.NotSupportedByVersion, r.Plans[1].Error.ErrorId);
            Assert.Equal(before, File.ReadAllText(path));
            r = t.SyncDesired(new SyncRequest { Desired = new[] { linking }, KratosVersion = "26.2" }, new OperationOptions(), new AskingHost());
            Assert.Null(r.Plans[0].Error);
            Assert.Contains("account_linking_mode: automatic", File.ReadAllText(path));
        }

        [Fact]
        public void ExportThenSyncIntoAnEmptyCopyGivesTheSameIdps()
        {
            var source = new ConfigFileTarget(NewFile(), null);
            var snapshot = DesiredSupport.Compare(source).Snapshot;
            var exported = snapshot.Idps.Select(i => DesiredFrom.Export(i)).ToList();
            var text = DesiredStateFile.Render(exported, json: false);
            DesiredSupport.NoSecretIn(text);
            Assert.Contains("client_secret: github\n", text);
            Assert.Contains("auth_url: https://sso.corp.example.com/realms/main/auth", text);
            var read = DesiredStateFile.Parse(text, "exported.yml", json: false);
            // The secrets, as -Secret would give them: by the names Export wrote.
            var secrets = new Dictionary<string, string> { ["github"] = DesiredSupport.GithubSecret, ["corp"] = DesiredSupport.CorpSecret };
            foreach (var d in read) d.Settings.ClientSecret = TestSecrets.Plain(secrets[d.SecretNames["client_secret"]]);

            var copy = new ConfigFileTarget(NewFile(DesiredSupport.Empty), null);
            var r = DesiredSupport.Sync(copy, new AskingHost(), false, false, read.ToArray());
            Assert.All(r.Plans, p => Assert.Null(p.Error));
            var a = DesiredSupport.Compare(source).Snapshot.Idps;
            var b = DesiredSupport.Compare(copy).Snapshot.Idps;
            Assert.Equal(a.Count, b.Count);
            for (int i = 0; i < a.Count; i++)
            {
                Assert.Equal(Newtonsoft.Json.JsonConvert.SerializeObject(Strip(a[i].Idp)), Newtonsoft.Json.JsonConvert.SerializeObject(Strip(b[i].Idp)));
                Assert.True(Planner.SameValue(a[i].Settings.ToDictionary(kv => kv.Key, kv => DesiredSettings.Neutral(kv.Value)), b[i].Settings.ToDictionary(kv => kv.Key, kv => DesiredSettings.Neutral(kv.Value))), a[i].Idp.Name);
            }
            Assert.Empty(DesiredSupport.Compare(copy, true, read.ToArray()).Plans.SelectMany(p => p.Differences));
        }

        /// <summary>Changes the file (another process's Add) when it is asked about the first IdP.</summary>
        private sealed class MeddlingHost : ICoreHost
        {
            private readonly string _path;
            private bool _done;
            public MeddlingHost(string path) { _path = path; }
            public readonly List<string> Said = new List<string>();
            public void WriteVerbose(string message) => Said.Add(message);
            public void WriteDebug(string message) => Said.Add(message);
            public void WriteWarning(string message) => Said.Add(message);
            public void WriteProgress(string activity, string status, int percent, bool completed) { }
            public bool ShouldProcess(string target, string action)
            {
                if (!_done)
                {
                    _done = true;
                    new ConfigFileTarget(_path, null).Add("meanwhile", new IdpSettings { Provider = "github", ClientId = "m", ClientSecret = TestSecrets.Plain("meanwhile-secret") }, new OperationOptions(), SilentHost.Instance);
                }
                return true;
            }
            public CancellationToken Cancellation => CancellationToken.None;
        }

        [Fact]
        public void AFileChangedWhileSyncAskedIsReadAgainAndKeepsTheOtherChange()
        {
            var path = NewFile();
            var t = new ConfigFileTarget(path, null);
            var host = new MeddlingHost(path);
            var r = DesiredSupport.Sync(t, host, false, false, DesiredSupport.Desired("github", s => s.Label = "Staff"), DesiredSupport.Google());
            Assert.All(r.Plans, p => Assert.Null(p.Error));
            Assert.All(r.Plans, p => Assert.True(p.Applied));
            Assert.Equal(2, r.FileReads);
            Assert.Equal(1, r.FileWrites);
            Assert.Contains(host.Said, s => s.Contains("changed while Sync asked"));
            var idps = t.GetIdps(null);
            Assert.Equal(new[] { "github", "corp", "meanwhile", "google" }, idps.Select(i => i.Name));
            Assert.Equal("Staff", idps[0].Label);
        }

        [Fact]
        public void SyncsInsideAHelmValuesFile()
        {
            var src = Path.Combine(TestSupport.Corpus, "ory-k8s-helm-kratos__values.yaml");
            var path = NewFile(File.ReadAllText(src), "values.yaml");
            var t = new ConfigFileTarget(path, "kratos.config");
            var before = File.ReadAllText(path);
            var r = DesiredSupport.Sync(t, new AskingHost(), false, false, DesiredSupport.Google(), DesiredSupport.Google("google2"));
            Assert.All(r.Plans, p => Assert.Null(p.Error));
            Assert.Equal(new[] { "google", "google2" }, t.GetIdps(null).Select(i => i.Name));
            Assert.Empty(DesiredSupport.Compare(t, true, DesiredSupport.Google(), DesiredSupport.Google("google2")).Plans.SelectMany(p => p.Differences));
            // Everything outside the providers (and the switch of the oidc method) is as it was.
            var (deleted, _) = TestSupport.LineDiff(before, File.ReadAllText(path));
            Assert.True(deleted.Count <= 2, string.Join("\n", deleted.Select(d => d.Text)));
        }

        private static KratosIdp Strip(KratosIdp i)
        {
            i.ConfigPath = null;
            return i;
        }
    }
}
