using System.Collections.Generic;
using System.Linq;
using ExternalIdp.Core;
using ExternalIdp.Core.ConfigFile;
using Xunit;
using static ExternalIdp.Core.Tests.ConfigFile.TestSupport;

namespace ExternalIdp.Core.Tests.ConfigFile
{
    /// <summary>
    /// The self-check takes an untouched entry with the same text at the same place as unchanged
    /// only when its value follows from that text alone; other entries are compared by value.
    /// </summary>
    public class SelfCheckUntouchedTests
    {
        private const string Config =
            "selfservice:\n" +
            "  methods:\n" +
            "    oidc:\n" +
            "      enabled: true\n" +
            "      config:\n" +
            "        providers:\n" +
            "          - id: first\n" +
            "            provider: generic\n" +
            "            client_id: c1\n" +
            "            client_secret: s1\n" +
            "            issuer_url: https://one.example.com\n" +
            "            mapper_url: file:///m.jsonnet\n" +
            "            requested_claims: |+\n" +
            "              {\"id_token\": {\"email\": null}}\n" +
            "\n" +
            "          - id: second\n" +
            "            provider: github\n" +
            "            client_id: c2\n" +
            "            client_secret: s2\n" +
            "            mapper_url: file:///m.jsonnet\n" +
            "log:\n" +
            "  level: debug\n";

        private static KratosConfigDocument Open(string text)
        {
            var path = TempFile("kratos.yml", text);
            return ConfigFileStore.Parse(ConfigFileStore.Read(path), null);
        }

        private static List<Slot> Same(KratosConfigDocument doc)
            => doc.Items.Select(i => new Slot { Orig = i }).ToList();

        [Fact]
        public void Unchanged_text_with_a_kept_block_scalar_passes()
        {
            var doc = Open(Config);
            Assert.Equal(2, ChangeCheck.Verify(doc, doc.Text, Same(doc), enable: false).Items.Count);
        }

        [Fact]
        public void A_blank_line_that_a_kept_block_scalar_takes_in_is_refused()
        {
            // The entry's text is the same, but "|+" keeps the trailing blank lines: its value changes.
            var doc = Open(Config);
            var bad = doc.Text.Replace("null}}\n\n", "null}}\n\n\n");
            var ex = Assert.Throws<ExternalIdpException>(() => ChangeCheck.Verify(doc, bad, Same(doc), enable: false));
            Assert.Equal(ErrorIds.ConfigFileUnsupported, ex.ErrorId);
        }
    }
}
