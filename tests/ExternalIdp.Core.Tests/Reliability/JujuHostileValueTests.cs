using System;
using System.Collections.Generic;
using System.Linq;
using ExternalIdp.Core;
using ExternalIdp.Core.Juju;
using ExternalIdp.Core.Tests.Juju;
using Newtonsoft.Json.Linq;
using Xunit;

namespace ExternalIdp.Core.Tests.Reliability
{
    /// <summary>
    /// The kratos charm writes integrator values into Kratos's YAML config unquoted (<c>{{ key }}: {{ value }}</c>) and
    /// Kratos reads it with a YAML 1.2 reader, then wants text. Every value that would not come back as the same
    /// text is refused by Add and Set before juju changes anything; and the fake juju, which renders and reads the
    /// config as the charm and Kratos do, shows that each of them would really break Kratos (or silently change the
    /// value), so the fake is not kinder than reality.
    /// </summary>
    public class JujuHostileValueTests
    {
        /// <summary>Values Kratos would not read back as the same text.</summary>
        public static readonly string[] Breaking =
        {
            "1234567890", "-42", "+7", "0x1F", "0o17", "017", "1_000", "1e3", "1E-3", ".5", "-.inf", ".NaN",
            "null", "Null", "~", "true", "False", "TRUE",
            "a: b", "ends with colon:", "a #b", "*star", "&amp", "&amp value", "!bang", "!!int 5", "%pct", "@at", "`tick", "|pipe", ">fold",
            "'single'", "\"double\"", "[x]", "{x: y}", "#hash", "- item", "-", " padded", "padded ", "line\nbreak",
        };

        /// <summary>Refused by the same rule as the config-file writer's, although Kratos's YAML 1.2 reader keeps them text.</summary>
        public static readonly string[] StricterThanKratos = { "yes", "No", "on", "OFF", "y", "n", "2024-01-31", "1:20:30", "?q", ":c", "<<", "=" };

        /// <summary>Values that need no quotes: accepted, and Kratos reads them unchanged.</summary>
        public static readonly string[] Safe =
        {
            "Sign in (Corp, EU) [beta]", "a#b", "-----BEGIN PRIVATE KEY----- MIGT -----END PRIVATE KEY-----", "~tilde", "-dash",
            "1234-abc.apps.googleusercontent.com", "GOCSPX-abc~def.ghi_jkl", "ünïcödé ✓", "100%", "x=y", "it's", "say \"hi\"", "a:b", "x {{ not a template }}",
        };

        public static TheoryData<string> BreakingValues() => Data(Breaking);
        public static TheoryData<string> StricterValues() => Data(StricterThanKratos);
        public static TheoryData<string> SafeValues() => Data(Safe);

        private static TheoryData<string> Data(IEnumerable<string> values)
        {
            var d = new TheoryData<string>();
            foreach (var v in values) d.Add(v);
            return d;
        }

        private static bool ValidationRefuses(string field, string value)
            => value.Any(char.IsControl) || ((field == "client_id" || field == "client_secret") && value.Trim() != value);

        private static IdpSettings With(IdpSettings s, string field, string value)
        {
            switch (field)
            {
                case "client_id": s.ClientId = value; break;
                case "client_secret": s.ClientSecret = TestSecrets.Plain(value); break;
                case "label": s.Label = value; break;
                case "provider_id": s.ProviderId = value; break;
                default: throw new ArgumentException(field);
            }
            return s;
        }

        private static void AssertRefused(ExternalIdpException e, string field, string value)
        {
            if (ValidationRefuses(field, value))
            {
                Assert.True(e.ErrorId == ErrorIds.InvalidConfiguration || e.ErrorId == ErrorIds.JujuUnsafeValue, $"{field} '{IdpRules.Printable(value)}': {e.ErrorId}");
                return;
            }
            Assert.True(ErrorIds.JujuUnsafeValue == e.ErrorId, $"{field} '{IdpRules.Printable(value)}': {e.ErrorId}: {e.Message}");
            Assert.Contains("-" + FieldTable.Default.ByKey(field == "provider_id" ? FieldTable.Id.Key : field).Parameter + " ", e.Message);
            Assert.Contains(" would be read as ", e.Message);
            Assert.Contains("writes integrator values into Kratos's YAML config without quotes", e.Message);
            if (field == "client_secret")
            {
                Assert.Contains("(value not shown)", e.Message);
                if (value.Trim().Length >= 4) Assert.DoesNotContain(value.Trim(), e.Message);
            }
            else Assert.Contains(CharmRules.UnsafeReason(value), e.Message);
        }

        private static readonly string[] Fields4 = { "client_id", "client_secret", "label", "provider_id" };

        [Theory]
        [MemberData(nameof(BreakingValues))]
        [MemberData(nameof(StricterValues))]
        public void Add_and_Set_refuse_it_before_juju_changes_anything(string value)
        {
            using var m = new FakeJujuModel(idps: 1);
            var t = m.Target();
            foreach (var field in Fields4)
            {
                if (field == "provider_id" && !System.Text.RegularExpressions.Regex.IsMatch(value, "^[A-Za-z0-9][A-Za-z0-9._~-]*$")) continue; // not a provider id at all
                var add = Assert.Throws<ExternalIdpException>(() => t.Add("hostile", With(JujuWorkflowTests.GoogleIdp(null), field, value), new OperationOptions(), SilentHost.Instance));
                AssertRefused(add, field, value);
                Assert.Empty(m.Calls(withVersion: true)); // refused before juju is run at all
            }
            // Set goes through the same check, also before juju is run (one setting per value keeps the test quick).
            var setField = Fields4[Array.IndexOf(Breaking.Concat(StricterThanKratos).ToArray(), value) % 3];
            var set = Assert.Throws<ExternalIdpException>(() => t.Set("github-idp", With(new IdpSettings(), setField, value), new OperationOptions(), SilentHost.Instance));
            AssertRefused(set, setField, value);
            Assert.Empty(m.Calls(withVersion: true));
        }

        /// <summary>What Kratos reads for a value of client_id and label, set straight through the fake juju.</summary>
        private static JObject ThroughTheFake(FakeJujuModel m, string value)
        {
            var quoted = Newtonsoft.Json.JsonConvert.ToString(value);
            var r = m.JujuWithInput($"github-idp:\n  client_id: {quoted}\n  label: {quoted}\n", "config", "github-idp", "--file", "-");
            Assert.True(r.code == 0, r.stderr);
            Assert.Equal(value, (string)m.App("github-idp")["Config"]!["label"]); // juju keeps the exact value
            // The fake's kratos status is blocked exactly when this reading has an error (FakeJujuTests shows it).
            return m.KratosConfig();
        }

        [Theory]
        [MemberData(nameof(BreakingValues))]
        public void The_fake_shows_each_breaks_Kratos_or_changes_the_value(string value)
        {
            using var m = new FakeJujuModel(idps: 1);
            var kratos = ThroughTheFake(m, value);
            if (kratos["error"]!.Type != JTokenType.Null) return; // Kratos refuses its config: kratos is blocked
            // Kratos starts, but with other text than the IdP issued: sign-in fails later, with nothing in juju status.
            var p = (JObject)kratos["providers"]![0]!;
            foreach (var key in new[] { "client_id", "label" })
            {
                Assert.Equal("string", (string)p[key]!["type"]);
                Assert.NotEqual(value, (string)p[key]!["value"]);
            }
        }

        [Theory]
        [MemberData(nameof(StricterValues))]
        public void The_fake_shows_Kratos_would_keep_the_stricter_ones(string value)
        {
            // Documented choice: the shared rule also refuses YAML 1.1 booleans, dates and the like, which yaml.v3 keeps as text.
            using var m = new FakeJujuModel(idps: 1);
            var kratos = ThroughTheFake(m, value);
            Assert.Equal(JTokenType.Null, kratos["error"]!.Type);
            var p = (JObject)kratos["providers"]![0]!;
            Assert.Equal("string", (string)p["label"]!["type"]);
            Assert.Equal(value, (string)p["label"]!["value"]);
        }

        [Theory]
        [MemberData(nameof(SafeValues))]
        public void Safe_values_are_accepted_and_read_back_unchanged(string value)
        {
            using var m = new FakeJujuModel(idps: 1);
            var t = m.Target();
            t.Set("github-idp", new IdpSettings { ClientId = value, Label = value, ClientSecret = TestSecrets.Plain(value) }, new OperationOptions(), SilentHost.Instance);
            var kratos = m.KratosConfig();
            Assert.True(kratos["error"]!.Type == JTokenType.Null, (string)kratos["error"]);
            var p = (JObject)kratos["providers"]![0]!;
            foreach (var key in new[] { "client_id", "client_secret", "label" })
            {
                Assert.Equal("string", (string)p[key]!["type"]);
                Assert.Equal(value, (string)p[key]!["value"]);
            }
        }

        [Theory]
        [InlineData("client_id", "1234567890", "-ClientId '1234567890' would be read as the integer 1234567890, not as text")]
        [InlineData("label", "null", "-Label 'null' would be read as null")]
        [InlineData("label", "~", "-Label '~' would be read as null")]
        [InlineData("label", "true", "-Label 'true' would be read as the boolean true")]
        [InlineData("label", "yes", "-Label 'yes' would be read as the boolean true by a YAML 1.1 reader (Kratos's YAML 1.2 reader keeps it text")]
        [InlineData("client_id", "1e3", "-ClientId '1e3' would be read as a float")]
        [InlineData("client_id", ".5", "-ClientId '.5' would be read as a float")]
        [InlineData("client_secret", "1234567890", "-ClientSecret (value not shown) would be read as an integer")]
        [InlineData("client_secret", "true", "-ClientSecret (value not shown) would be read as a boolean")]
        public void The_message_says_what_Kratos_would_read(string field, string value, string expected)
        {
            using var m = new FakeJujuModel();
            // A Facebook app id is a number: the example of the issue.
            var s = new IdpSettings { Provider = "facebook", ClientId = "fb-app", ClientSecret = TestSecrets.Plain("fb-secret-0001") };
            var e = Assert.Throws<ExternalIdpException>(() => m.Target().Add(null, With(s, field, value), new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.JujuUnsafeValue, e.ErrorId);
            Assert.Contains(expected, e.Message);
            Assert.Contains("Kratos reads that YAML and expects text", e.Message);
            Assert.Contains("-ConfigPath", e.Message);
            Assert.Empty(m.Calls(withVersion: true));
        }
    }
}
