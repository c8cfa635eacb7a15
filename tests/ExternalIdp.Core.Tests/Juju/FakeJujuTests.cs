using System.IO;
using System.Linq;
using Newtonsoft.Json.Linq;
using Xunit;

namespace ExternalIdp.Core.Tests.Juju
{
    /// <summary>The fake juju itself answers as juju-cli.md says the real one does.</summary>
    public class FakeJujuTests
    {
        private const string V29 = "2.9.49-ubuntu-amd64";

        private static string Write(FakeJujuModel m, string app, string body)
        {
            var path = Path.Combine(m.Root, app + ".yaml");
            File.WriteAllText(path, app + ":\n" + body);
            return path;
        }

        [Fact]
        public void RemoveApplicationAsksOnJuju3()
        {
            using var m = new FakeJujuModel(idps: 1);
            var (code, _, err) = m.Juju("remove-application", "github-idp");
            Assert.Equal(1, code);
            Assert.Contains("Continue [y/N]?", err);
            Assert.Contains("ERROR aborted", err);
            Assert.NotNull(m.App("github-idp"));
            Assert.Equal(0, m.Juju("remove-application", "github-idp", "--no-prompt").code);
            Assert.Null(m.App("github-idp"));
        }

        [Fact]
        public void Juju29HasItsOwnVerbs()
        {
            using var m = new FakeJujuModel(idps: 1, version: V29);
            var r = m.Juju("remove-application", "github-idp", "--no-prompt");
            Assert.Equal(2, r.code);
            Assert.Contains("option provided but not defined: --no-prompt", r.stderr);
            Assert.Contains("is not a juju command", m.Juju("integrate", "a", "b").stderr);
            var action = JObject.Parse(m.Juju("run-action", "github-idp/leader", "get-redirect-uri", "--wait", "--format", "json").stdout);
            var entry = (JObject)action["unit-github-idp-0"]!;
            Assert.Equal("github-idp/0", (string)entry["UnitId"]);
            Assert.Equal("completed", (string)entry["status"]);
            Assert.Contains("\"kratos-external-idp\":[\"kratos\"]", m.Juju("status", "--format=json").stdout);
            Assert.Equal(0, m.Juju("remove-application", "github-idp").code);
        }

        [Fact]
        public void Juju3RefusesOldVerbs()
        {
            using var m = new FakeJujuModel();
            Assert.Contains("is not a juju command", m.Juju("run-action", "x/0", "y").stderr);
            Assert.Contains("is not a juju command", m.Juju("add-relation", "a", "b").stderr);
            Assert.Contains("invalid value", m.Juju("run", "kratos/0", "x", "--wait", "--format", "json").stderr);
        }

        [Fact]
        public void ErrorsReadLikeJuju()
        {
            using var m = new FakeJujuModel(idps: 1);
            Assert.Equal("ERROR model microk8s:admin/other not found", m.Juju("status", "-m", "other").stderr.Trim());
            Assert.Equal("microk8s:admin/iam", m.Juju("switch").stdout.Trim());
            var again = m.Juju("integrate", "github-idp", "kratos");
            Assert.Equal(1, again.code);
            Assert.Contains("(already exists)", again.stderr);
            var missing = m.Juju("remove-relation", "traefik-public", "github-idp");
            Assert.Contains("ERROR relation matching \"traefik-public github-idp\" not found", missing.stderr);
            Assert.Contains("ERROR application \"ghost\" not found", m.Juju("config", "ghost").stderr);
            var unknownUnit = m.Juju("run", "ghost/leader", "get-redirect-uri", "--format", "json");
            Assert.Equal(0, unknownUnit.code);
            Assert.Equal("", unknownUnit.stdout);
            Assert.Contains("failed to schedule any tasks", unknownUnit.stderr);
            Assert.Contains("invalid application name", m.Juju("deploy", "kratos-external-idp-integrator", "idp-2").stderr);
        }

        [Fact]
        public void ConfigShowsSourcesAndNeverLogsFileContent()
        {
            using var m = new FakeJujuModel();
            var f = Write(m, "sso", "  provider: generic\n  client_id: abc\n  client_secret: \"very-secret-value\"\n  issuer_url: https://login.example.com\n");
            Assert.Equal(0, m.Juju("deploy", "kratos-external-idp-integrator", "sso", "--config", f).code);
            var cfg = JObject.Parse(m.Juju("config", "sso", "--format=json").stdout);
            var settings = (JObject)cfg["settings"]!;
            Assert.Equal("user", (string)settings["client_id"]!["source"]);
            Assert.Equal("unset", (string)settings["label"]!["source"]);
            Assert.Null(settings["label"]!["value"]);
            Assert.Equal("default", (string)settings["enabled"]!["source"]);
            Assert.True((bool)settings["enabled"]!["value"]!);

            var f2 = Write(m, "sso", "  client_secret: \"rotated-secret-value\"\n");
            // Run with the log on: the options file is described by option names only.
            var logged = RunLogged(m, "config", "sso", "--file", f2, "--reset", "issuer_url");
            Assert.Equal(0, logged);
            Assert.DoesNotContain("rotated-secret-value", m.LogText);
            Assert.Contains("sso.client_secret", m.LogText);
            Assert.Equal("rotated-secret-value", (string)m.App("sso")["Config"]!["client_secret"]);
            Assert.Null(m.App("sso")["Config"]!["issuer_url"]);
        }

        private static int RunLogged(FakeJujuModel m, params string[] args)
        {
            var psi = new System.Diagnostics.ProcessStartInfo(FakeJujuBuild.Executable) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in args) psi.ArgumentList.Add(a);
            foreach (var kv in m.Env) psi.Environment[kv.Key] = kv.Value;
            using var p = System.Diagnostics.Process.Start(psi);
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode;
        }

        [Fact]
        public void IntegratorStatusesFollowTheCharm()
        {
            using var m = new FakeJujuModel();
            var f = Write(m, "gh", "  provider: github\n  client_id: abc\n");
            m.Juju("deploy", "kratos-external-idp-integrator", "gh", "--config", f);
            Assert.Equal(("blocked", "Invalid OIDC provider configuration"), m.AppStatus("gh"));
            m.Juju("config", "gh", "client_secret=s");
            Assert.Equal(("blocked", "Missing integration kratos-external-idp"), m.AppStatus("gh"));
            m.Juju("integrate", "gh", "kratos");
            Assert.Equal(("waiting", "Waiting for the requirer charm to register the OIDC provider"), m.AppStatus("gh"));
            Assert.Equal(("active", "The OIDC provider is ready"), m.AppStatus("gh"));
            m.Juju("config", "gh", "enabled=false");
            Assert.Equal(("active", "The OIDC provider is disabled"), m.AppStatus("gh"));
            m.Juju("config", "gh", "enabled=true", "provider=twitch");
            Assert.Equal(("active", "The OIDC provider is ready"), m.AppStatus("gh"));
            Assert.Equal(("blocked", "Failed to start the service, please check the kratos container logs"), m.AppStatus("kratos"));
            m.Juju("config", "gh", "provider=yandex");
            Assert.Equal(("blocked", "Invalid OIDC provider configuration"), m.AppStatus("gh"));
        }

        [Fact]
        public void AutoProviderIdMatchesTheCharmVectors()
        {
            using var m = new FakeJujuModel();
            var f = Write(m, "g", "  provider: generic\n  client_id: client_id\n  client_secret: s\n  issuer_url: http://example.com\n");
            m.Juju("deploy", "kratos-external-idp-integrator", "g", "--config", f);
            m.Juju("integrate", "g", "kratos");
            m.Status();
            var r = JObject.Parse(m.Juju("run", "g/leader", "get-redirect-uri", "--format", "json").stdout);
            Assert.Equal("https://iam.example.com/self-service/methods/oidc/callback/generic_c1b858ba120b6a62d17865256fab2617b727ab27",
                (string)r["g/0"]!["results"]!["redirect-uri"]);
        }

        [Fact]
        public void ConfigReadsOptionsFromStandardInput()
        {
            using var m = new FakeJujuModel(idps: 1);
            var r = m.JujuWithInput("github-idp:\n  client_secret: \"from-stdin-0001\"\n  label: Octo\n", "config", "github-idp", "--file", "-");
            Assert.Equal(0, r.code);
            Assert.Equal("from-stdin-0001", (string)m.App("github-idp")["Config"]!["client_secret"]);
            Assert.Equal("Octo", (string)m.App("github-idp")["Config"]!["label"]);
            // Keyed by application name, like the file form.
            r = m.JujuWithInput("other-app:\n  label: x\n", "config", "github-idp", "--file", "-");
            Assert.Equal(1, r.code);
            Assert.Contains("no settings found for \"github-idp\"", r.stderr);
        }

        [Fact]
        public void StrictConfinementReadsFilesAsTheJujuSnapDoes()
        {
            using var m = new FakeJujuModel(idps: 1, confined: true);
            string Put(string path)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, "github-idp:\n  label: Octo\n");
                return path;
            }
            (int code, string err) Use(string path)
            {
                var r = m.Juju("config", "github-idp", "--file", path);
                return (r.code, r.stderr.Trim());
            }
            // The snap's /tmp is its own: a file another process wrote there does not exist for it.
            var tmp = Put(Path.Combine(m.TempDir, "opts.yaml"));
            if (tmp.StartsWith("/tmp/", System.StringComparison.Ordinal))
                Assert.Equal((1, $"ERROR open {tmp}: no such file or directory"), Use(tmp));
            // Hidden top-level folders of $HOME, another snap's folder, and anything outside $HOME: permission denied.
            foreach (var denied in new[] { Path.Combine(m.Home, ".cache", "opts.yaml"), Path.Combine(m.Home, ".opts.yaml"), Path.Combine(m.Home, "snap", "other", "common", "opts.yaml") })
                Assert.Equal((1, $"ERROR open {Put(denied)}: permission denied"), Use(denied));
            if (!System.OperatingSystem.IsWindows())
                Assert.Equal((1, "ERROR open /etc/hostname: permission denied"), Use("/etc/hostname"));
            // Its own ~/snap/juju/ and non-hidden home paths (also inside a hidden folder further down) are readable.
            foreach (var ok in new[] { Path.Combine(m.SnapCommon, "opts.yaml"), Path.Combine(m.Home, "work", ".hidden", "opts.yaml") })
                Assert.Equal((0, ""), Use(Put(ok)));
            // Standard input needs no file.
            Assert.Equal(0, m.JujuWithInput("github-idp:\n  label: Stdin\n", "config", "github-idp", "--file", "-").code);
            Assert.Equal("Stdin", (string)m.App("github-idp")["Config"]!["label"]);
            // deploy --config is judged the same way.
            var d = m.Juju("deploy", "kratos-external-idp-integrator", "sso", "--config", tmp);
            Assert.Equal(1, d.code);
            Assert.Null(m.App("sso"));
        }

        [Fact]
        public void KratosReadsTheCharmsUnquotedValuesAsYaml12()
        {
            using var m = new FakeJujuModel(idps: 1);
            JObject Provider() => (JObject)m.KratosConfig()["providers"]![0]!;

            // Rendered unquoted: `client_id: 1234567890` is an integer, and Kratos refuses its config.
            m.Juju("config", "github-idp", "client_id=1234567890");
            var k = m.KratosConfig();
            Assert.Contains("client_id: 1234567890\n", (string)k["rendered"]);
            Assert.Equal("int", (string)Provider()["client_id"]!["type"]);
            Assert.Contains("client_id: expected string, but got int", (string)k["error"]);
            Assert.Equal(("blocked", "Failed to start the service, please check the kratos container logs"), m.AppStatus("kratos"));

            // A value cut at ' #' is still text: Kratos starts, with the wrong value.
            m.Juju("config", "github-idp", "client_id=abc #def");
            Assert.Equal("abc", (string)Provider()["client_id"]!["value"]);
            Assert.Equal("active", m.AppStatus("kratos").current);

            // yaml.v3 reads yes/on and dates as text; true, null, ~ and 1e3 it does not.
            foreach (var (value, type) in new[] { ("yes", "string"), ("2024-01-31", "string"), ("true", "bool"), ("~", "null"), ("1e3", "float"), ("0x1F", "int"), ("08", "float") })
            {
                m.Juju("config", "github-idp", "label=" + value);
                Assert.True(type == (string)Provider()["label"]!["type"], $"{value}: {Provider()["label"]}");
            }
            // A label set to "" is rendered as `label: `, which is null.
            m.Juju("config", "github-idp", "label=");
            Assert.Equal("null", (string)Provider()["label"]!["type"]);
            m.Juju("config", "github-idp", "--reset", "label", "client_id=abc");
            Assert.Equal(JTokenType.Null, m.KratosConfig()["error"]!.Type);
            Assert.Equal("active", m.AppStatus("kratos").current);
        }

        [Fact]
        public void StateFileIsRequired()
        {
            using var m = new FakeJujuModel();
            m.Env.Remove("FAKE_JUJU_STATE");
            var psi = new System.Diagnostics.ProcessStartInfo(FakeJujuBuild.Executable, "status") { UseShellExecute = false, RedirectStandardError = true };
            psi.Environment.Remove("FAKE_JUJU_STATE");
            using var p = System.Diagnostics.Process.Start(psi);
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.NotEqual(0, p.ExitCode);
            Assert.Contains("FAKE_JUJU_STATE", err);
        }
    }
}
