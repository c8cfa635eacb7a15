using System.Diagnostics;
using System.IO;
using System.Linq;
using ExternalIdp.Core;
using ExternalIdp.Core.Juju;
using Xunit;

namespace ExternalIdp.Core.Tests.Juju
{
    /// <summary>The pieces of the Juju target that need no juju: names, quoting, unsafe values, parsers.</summary>
    public class JujuUnitTests
    {
        [Theory]
        [InlineData("github", null, "github-idp")]
        [InlineData("microsoft", null, "microsoft-idp")]
        [InlineData("microsoft", "Corp_Entra", "corp-entra-idp")]
        [InlineData("google", "google-idp", "google-idp")]
        [InlineData("generic", "keycloak.2024", "keycloak2024-idp")]
        [InlineData("generic", "2024", "generic-idp")]
        [InlineData("github", "a~b", "a-b-idp")]
        public void DerivedNamesAreValidJujuApplicationNames(string kind, string providerId, string expected)
        {
            var name = CharmRules.DeriveName(ProviderCatalog.Resolve(kind), providerId);
            Assert.Equal(expected, name);
            Assert.Matches("^[a-z][a-z0-9]*(-[a-z0-9]*[a-z][a-z0-9]*)*$", name);
        }

        [Theory]
        [InlineData("plain")]
        [InlineData("with space")]
        [InlineData("")]
        [InlineData("quote\"inside")]
        [InlineData("trailing\\")]
        [InlineData("back\\\\\"slash")]
        [InlineData("C:\\Users\\Me Too\\AppData\\Local\\Temp\\x.yaml")]
        public void QuotedArgumentsArriveUnchanged(string arg)
        {
            // The fake juju logs its argv: what the child receives is what we meant.
            using var m = new FakeJujuModel();
            var psi = new ProcessStartInfo(FakeJujuBuild.Executable,
                "version " + JujuCli.Quote(arg) + " " + JujuCli.Quote("next")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var kv in m.Env) psi.Environment[kv.Key] = kv.Value;
            using (var p = Process.Start(psi)) { p.StandardOutput.ReadToEnd(); p.WaitForExit(); }
            var argv = m.Calls(withVersion: true).Single();
            Assert.Equal(new[] { "version", arg, "next" }, argv);
        }

        [Theory]
        [InlineData("fine value", null)]
        [InlineData("https://login.example.com/realms/main", null)]
        [InlineData("Sign in (Corp, EU) [beta]", null)]
        [InlineData("-----BEGIN PRIVATE KEY----- MIGT -----END PRIVATE KEY-----", null)]
        [InlineData("GOCSPX-abc~def.ghi_jkl", null)]
        [InlineData("~tilde-start", null)]
        [InlineData("a#b", null)]
        [InlineData("1234-abc.apps.googleusercontent.com", null)]
        [InlineData("1234567890", "the integer 1234567890")]
        [InlineData("-42", "the integer -42")]
        [InlineData("1e3", "a float")]
        [InlineData(".5", "a float")]
        [InlineData("-.inf", "a float")]
        [InlineData("0x1F", "a number")]
        [InlineData("1_000", "a number")]
        [InlineData("null", "null")]
        [InlineData("~", "null")]
        [InlineData("", "null")]
        [InlineData("true", "the boolean true")]
        [InlineData("FALSE", "the boolean false")]
        [InlineData("yes", "YAML 1.1")]
        [InlineData("off", "YAML 1.1")]
        [InlineData("2024-01-31", "a timestamp")]
        [InlineData("a: b", "mapping")]
        [InlineData("trailing:", "mapping")]
        [InlineData("x #y", "'x', the part before ' #'")]
        [InlineData("line\nbreak", "line break")]
        [InlineData(" padded", "white space")]
        [InlineData("*alias", "alias")]
        [InlineData("&anchor", "anchor")]
        [InlineData("!tag", "tag")]
        [InlineData("- item", "YAML syntax")]
        [InlineData("-", "YAML syntax")]
        [InlineData("'quoted'", "quoted string")]
        [InlineData("[x]", "flow collection")]
        [InlineData("%pct", "parse error")]
        public void UnsafeValues(string value, string expected)
        {
            var why = CharmRules.UnsafeReason(value);
            if (expected == null) Assert.Null(why);
            else Assert.Contains(expected, why);
        }

        [Theory]
        [InlineData("1234567890")]
        [InlineData("x #secret-part")]
        [InlineData("*secret-alias")]
        [InlineData("'secret'")]
        [InlineData("true")]
        public void UnsafeReasonOfASecretNeverRepeatsIt(string value)
        {
            var why = CharmRules.UnsafeReason(value, showValue: false);
            Assert.NotNull(why);
            Assert.DoesNotContain(value, why);
            Assert.DoesNotContain(value.Trim('\'', '*', '#', ' ', 'x'), why);
        }

        /// <summary>One rule: the Juju check and the config-file writer agree on every value that holds no flow syntax.</summary>
        [Theory]
        [MemberData(nameof(RuleSamples))]
        public void JujuCheckIsTheConfigFileWritersRule(string value)
        {
            var writerWritesItPlain = ExternalIdp.Core.ConfigFile.YamlText.IsPlainSafe(value);
            Assert.Equal(writerWritesItPlain, CharmRules.UnsafeReason(value) == null);
        }

        public static TheoryData<string> RuleSamples() => new TheoryData<string>
        {
            "plain", "1234567890", "1e3", ".5", "null", "~", "", "true", "yes", "No", "0o17", "2024-01-31", "a: b", "a #b", "a#b", "x:",
            "-dash", "- dash", "-", "?q", ":c", "*a", "&a", "!a", "%a", "@a", "`a", "'a'", "\"a\"", "|a", ">a", "#a", "<<", "=", " a", "a ",
            "tab\there", "line\nbreak", "ünïcödé ✓", "https://idp.example.com/realms/main", "-----BEGIN PRIVATE KEY-----",
        };

        [Theory]
        [InlineData("kratos-external-idp-integrator", null, "kratos-external-idp-integrator")]
        [InlineData("ch:amd64/jammy/kratos-external-idp-integrator-250", null, "kratos-external-idp-integrator")]
        [InlineData("cs:~canonical/kratos-12", null, "kratos")]
        [InlineData("local:traefik-k8s-0", null, "traefik-k8s")]
        [InlineData("whatever", "kratos", "kratos")]
        public void CharmNames(string charm, string charmName, string expected)
            => Assert.Equal(expected, JujuParsers.CharmName(charm, charmName));

        [Fact]
        public void StatusParsesBothRelationShapesAndStatusErrors()
        {
            const string json = @"{""model"":{""name"":""iam"",""controller"":""c"",""future"":1},
              ""applications"":{
                ""a"":{""charm"":""kratos-external-idp-integrator"",""application-status"":{""current"":""active"",""message"":""The OIDC provider is ready""},
                       ""relations"":{""kratos-external-idp"":[{""related-application"":""kratos"",""interface"":""external_provider""}]},
                       ""units"":{""a/3"":{""leader"":true}}},
                ""b"":{""charm"":""ch:amd64/focal/kratos-external-idp-integrator-7"",""relations"":{""kratos-external-idp"":[""kratos""]},
                       ""units"":{""b/0"":{""workload-status"":{""current"":""blocked"",""message"":""Missing integration kratos-external-idp""}},""b/1"":{""leader"":true,""workload-status"":{""current"":""waiting""}}}},
                ""c"":{""status-error"":""cannot get status""}}}";
            var s = JujuParsers.Status(json, "juju status");
            Assert.Equal("iam", s.ModelName);
            Assert.True(s.Apps["a"].RelatedTo("kratos-external-idp", "kratos"));
            Assert.True(s.Apps["b"].RelatedTo("kratos-external-idp", "kratos"));
            Assert.Equal("kratos-external-idp-integrator", s.Apps["b"].Charm);
            Assert.Equal("a/3", s.Apps["a"].LeaderUnit);
            Assert.Equal("b/1", s.Apps["b"].LeaderUnit);
            Assert.Equal("waiting", s.Apps["b"].Status);
            Assert.Null(s.Apps["c"].Charm);
        }

        [Fact]
        public void ActionResultOfBothVersions()
        {
            var v3 = JujuParsers.Action(@"{""github-idp/1"":{""id"":""42"",""status"":""completed"",""unit"":""github-idp/1"",""results"":{""redirect-uri"":""https://x/cb/github"",""return-code"":0}}}", "juju run");
            Assert.Equal("github-idp/1", v3.Unit);
            Assert.Equal("https://x/cb/github", (string)v3.Results["redirect-uri"]);
            var v2 = JujuParsers.Action(@"{""unit-github-idp-0"":{""UnitId"":""github-idp/0"",""id"":""1"",""status"":""failed"",""message"":""No redirect uri is found"",""results"":{}}}", "juju run-action");
            Assert.Equal("github-idp/0", v2.Unit);
            Assert.Equal("failed", v2.Status);
            Assert.Null(JujuParsers.Action("  \n", "juju run"));
        }

        [Fact]
        public void BundleWithOldRelationStringsAndOverlayDocuments()
        {
            const string yaml = "series: jammy\nservices:\n  gh:\n    charm: ch:kratos-external-idp-integrator\n    options:\n      provider: github\n      enabled: false\nrelations:\n- gh:kratos-external-idp kratos:kratos-external-idp\n- [kratos, traefik]\n--- # overlay.yaml\napplications:\n  x: {}\n";
            var b = JujuParsers.Bundle(yaml, "juju export-bundle");
            Assert.Equal("kratos-external-idp-integrator", b.Apps["gh"].Charm);
            Assert.Equal("false", b.Apps["gh"].Option("enabled"));
            Assert.True(b.Related("gh", "kratos-external-idp", "kratos", "kratos-external-idp"));
            Assert.True(b.Related("traefik", "x", "kratos", "y"));
            Assert.False(b.Apps.ContainsKey("x"));
        }

        [Fact]
        public void TargetFacts()
        {
            var t = new JujuTarget("ctl:iam", null);
            Assert.Equal("Juju", t.TargetType);
            Assert.Contains("ctl:iam", t.Description);
            Assert.Contains("kratos", t.Description);
            var idp = new KratosIdp { ConfigPath = "x" };
            t.Stamp(idp);
            Assert.Equal("ctl:iam", idp.Model);
            Assert.Equal("kratos", idp.KratosApplication);
            Assert.Null(idp.ConfigPath);
            Assert.True(t.SupportsProvider(ProviderCatalog.Resolve("microsoft"), out _));
            Assert.False(t.SupportsProvider(ProviderCatalog.Resolve("x"), out var reason));
            Assert.Contains("-ConfigPath", reason);
        }
    }
}
