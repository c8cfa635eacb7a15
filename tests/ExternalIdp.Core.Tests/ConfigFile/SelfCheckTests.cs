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
        private static (ConfigFileTarget, KratosConfigDocument) Open()
        {
            var path = TempFile("kratos.yml", EditTests.Base);
            return (new ConfigFileTarget(path, null), ConfigFileStore.Parse(ConfigFileStore.Read(path), null));
        }

        private static List<ConfigFileTarget.Slot> Same(KratosConfigDocument doc)
            => doc.Items.Select(i => new ConfigFileTarget.Slot { Orig = i }).ToList();

        [Fact]
        public void Unchanged_text_passes()
        {
            var (t, doc) = Open();
            var back = t.SelfCheck(doc, doc.Text, Same(doc), enable: false);
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
            var (t, doc) = Open();
            var bad = doc.Text.Replace(from, to);
            Assert.NotEqual(doc.Text, bad);
            var ex = Assert.Throws<ExternalIdpException>(() => t.SelfCheck(doc, bad, Same(doc), enable: false));
            Assert.Equal(ErrorIds.ConfigFileUnsupported, ex.ErrorId);
            Assert.Contains("not changed", ex.Message);
        }

        [Fact]
        public void A_value_that_would_read_back_as_another_type_is_refused()
        {
            var (t, doc) = Open();
            var entry = new Dictionary<string, object> { ["id"] = "x", ["label"] = "yes" };
            var slots = Same(doc);
            slots.Add(new ConfigFileTarget.Slot { Intended = entry });
            var text = doc.Text.Replace("log:\n", "          - id: x\n            label: yes\nlog:\n");
            var ex = Assert.Throws<ExternalIdpException>(() => t.SelfCheck(doc, text, slots, enable: true));
            Assert.Equal(ErrorIds.ConfigFileUnsupported, ex.ErrorId);
            // Quoted, it reads back as the string.
            t.SelfCheck(doc, doc.Text.Replace("log:\n", "          - id: x\n            label: \"yes\"\nlog:\n"), slots, enable: true);
        }

        [Fact]
        public void Text_that_does_not_parse_is_refused()
        {
            var (t, doc) = Open();
            var ex = Assert.Throws<ExternalIdpException>(() => t.SelfCheck(doc, doc.Text + "  bad: [\n", Same(doc), enable: false));
            Assert.Equal(ErrorIds.ConfigFileUnsupported, ex.ErrorId);
        }
    }
}
