using System.Collections.Generic;
using System.IO;
using System.Linq;
using ExternalIdp.Core;
using ExternalIdp.Core.ConfigFile;
using Xunit;
using static ExternalIdp.Core.Tests.ConfigFile.TestSupport;

namespace ExternalIdp.Core.Tests.ConfigFile
{
    /// <summary>The check that runs before every write refuses text that would not read back as intended.</summary>
    public class SelfCheckTests
    {
        private static KratosConfigDocument Open()
        {
            var path = TempFile("kratos.yml", EditTests.Base);
            return ConfigFileStore.Parse(ConfigFileStore.Read(path), null);
        }

        private static List<Slot> Same(KratosConfigDocument doc)
            => doc.Items.Select(i => new Slot { Orig = i }).ToList();

        [Fact]
        public void Unchanged_text_passes()
        {
            var doc = Open();
            var back = ChangeCheck.Verify(doc, doc.Text, Same(doc), enable: false);
            Assert.Single(back.Items);
        }

        [Theory]
        [InlineData("  level: debug\n", "  level: info\n")]                       // a change outside the providers
        [InlineData("      enabled: true\n", "      enabled: yes please\n")]       // enabled no longer true
        [InlineData("client_secret: gh-secret", "client_secret: gh-secret # note")] // same meaning, other bytes in an untouched entry
        [InlineData("log:\n", "log:\n  extra: 1\n")]                              // an extra key
        [InlineData("provider: github\n", "provider: github\n            label: on\n")] // a key added to an untouched entry
        public void Text_that_differs_from_the_intent_is_refused(string from, string to)
        {
            var doc = Open();
            var bad = doc.Text.Replace(from, to);
            Assert.NotEqual(doc.Text, bad);
            var ex = Assert.Throws<ExternalIdpException>(() => ChangeCheck.Verify(doc, bad, Same(doc), enable: false));
            Assert.Equal(ErrorIds.ConfigFileUnsupported, ex.ErrorId);
            Assert.Contains("not changed", ex.Message);
        }

        [Fact]
        public void A_value_that_would_read_back_as_another_type_is_refused()
        {
            var doc = Open();
            var entry = new Dictionary<string, object> { ["id"] = "x", ["label"] = "yes" };
            var slots = Same(doc);
            slots.Add(new Slot { Intended = entry });
            var text = doc.Text.Replace("log:\n", "          - id: x\n            label: yes\nlog:\n");
            var ex = Assert.Throws<ExternalIdpException>(() => ChangeCheck.Verify(doc, text, slots, enable: true));
            Assert.Equal(ErrorIds.ConfigFileUnsupported, ex.ErrorId);
            // Quoted, it reads back as the string.
            ChangeCheck.Verify(doc, doc.Text.Replace("log:\n", "          - id: x\n            label: \"yes\"\nlog:\n"), slots, enable: true);
        }

        [Fact]
        public void Text_that_does_not_parse_is_refused()
        {
            var doc = Open();
            var ex = Assert.Throws<ExternalIdpException>(() => ChangeCheck.Verify(doc, doc.Text + "  bad: [\n", Same(doc), enable: false));
            Assert.Equal(ErrorIds.ConfigFileUnsupported, ex.ErrorId);
        }

        // ------------------------------------------------------------ an edit of one entry among several

        private static string Many(int n)
        {
            var sb = new System.Text.StringBuilder("version: v1.3.0\nselfservice:\n  methods:\n    oidc:\n      enabled: true\n      config:\n        providers:\n");
            for (int i = 0; i < n; i++)
                sb.Append("          - id: p").Append(i).Append("\n            provider: generic\n            client_id: c").Append(i)
                  .Append("\n            client_secret: s").Append(i).Append("\n            issuer_url: https://idp").Append(i)
                  .Append(".example.com\n            mapper_url: file:///m.jsonnet\n            scope: [openid, email]\n");
            return sb.Append("log:\n  level: debug\n").ToString();
        }

        private const string P1 =
            "          - id: p1\n            provider: generic\n            client_id: c1\n            client_secret: s1\n            issuer_url: https://idp1.example.com\n            mapper_url: file:///m.jsonnet\n            scope: [openid, email]\n";

        private static string WithLabel(string labelLine) => P1.Replace("            provider: generic\n", "            provider: generic\n" + labelLine);

        /// <summary>The file of Many(3), and its providers list with p1 given the label One.</summary>
        private static (KratosConfigDocument, List<Slot>) LabelOne()
        {
            var path = TempFile("kratos.yml", Many(3));
            var doc = ConfigFileStore.Parse(ConfigFileStore.Read(path), null);
            var slots = Same(doc);
            slots[1] = new Slot
            {
                Intended = new Dictionary<string, object>
                {
                    ["id"] = "p1", ["provider"] = "generic", ["label"] = "One", ["client_id"] = "c1", ["client_secret"] = "s1",
                    ["issuer_url"] = "https://idp1.example.com", ["mapper_url"] = "file:///m.jsonnet", ["scope"] = new List<object> { "openid", "email" },
                },
            };
            return (doc, slots);
        }

        [Fact]
        public void The_intended_replacement_passes()
        {
            var (doc, slots) = LabelOne();
            var back = ChangeCheck.Verify(doc, doc.Text.Replace(P1, WithLabel("            label: One\n")), slots, enable: false);
            Assert.Equal(new[] { "p0", "p1", "p2" }, back.Items.Select(back.IdOf));
        }

        public static IEnumerable<object[]> NotTheIntendedEntry() => new[]
        {
            new object[] { WithLabel("            label: Two\n"), "another value" },
            new object[] { WithLabel("            label: yes\n"), "a value that reads as another type" },
            new object[] { WithLabel("            label: |\n              One\n"), "a block scalar (its value ends with a line break)" },
            new object[] { WithLabel("        label: One\n"), "a line left of the list (it closes it)" },
            new object[] { WithLabel("          label: One\n"), "a line at the dash column that is not a dash" },
            new object[] { WithLabel("            label: One\n          - id: extra\n"), "an extra item" },
            new object[] { WithLabel("            label: One\n---\n"), "a document marker" },
            new object[] { WithLabel("\t    label: One\n"), "a tab" },
            new object[] { WithLabel("            label: \"One\n"), "an unclosed quote" },
            new object[] { WithLabel("            label: [One\n"), "an unclosed flow list" },
            new object[] { "            label: One\n" + P1, "an entry that doesn't start with its dash" },
            new object[] { "", "a missing entry" },
        };

        [Theory]
        [MemberData(nameof(NotTheIntendedEntry))]
        public void Text_that_is_not_the_intended_entry_is_refused(string replacement, string why)
        {
            var (doc, slots) = LabelOne();
            var text = doc.Text.Replace(P1, replacement);
            var ex = Assert.Throws<ExternalIdpException>(() => ChangeCheck.Verify(doc, text, slots, enable: false));
            Assert.True(ex.ErrorId == ErrorIds.ConfigFileUnsupported, why);
        }

        [Theory]
        [InlineData("            label: &a One\n")]
        [InlineData("            label: !!str One\n")]
        public void The_same_value_written_another_way_passes(string labelLine)
        {
            var (doc, slots) = LabelOne();
            ChangeCheck.Verify(doc, doc.Text.Replace(P1, WithLabel(labelLine)), slots, enable: false);
        }

        [Theory]
        [InlineData("log:\n  level: debug\n", "log:\n  level: info\n")]                    // a change outside the list as well
        [InlineData("      enabled: true\n", "      enabled: false\n")]                    // oidc switched off
        [InlineData("          - id: p2\n", "          - id: p2\n            client_id: extra\n")] // an untouched entry changed too
        [InlineData("log:\n", "            more: 1\nlog:\n")]                              // a line that joins the last entry
        [InlineData("          - id: p0\n", "          - id: p0 # note\n")]               // other bytes in an untouched entry
        public void Changes_beyond_the_intended_entry_are_refused(string from, string to)
        {
            var (doc, slots) = LabelOne();
            var text = doc.Text.Replace(P1, WithLabel("            label: One\n")).Replace(from, to);
            Assert.Throws<ExternalIdpException>(() => ChangeCheck.Verify(doc, text, slots, enable: false));
        }
    }
}
