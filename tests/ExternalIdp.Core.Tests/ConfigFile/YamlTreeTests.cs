using ExternalIdp.Core.ConfigFile;
using Xunit;

namespace ExternalIdp.Core.Tests.ConfigFile
{
    /// <summary>The position-aware tree the config-file target reads YAML and JSON into.</summary>
    public class YamlTreeTests
    {
        [Fact]
        public void The_latest_definition_of_a_reused_anchor_counts()
        {
            var doc = YamlTreeReader.Parse("a: &x {k: &x inner}\nb: *x\nc: &y 1\nd: &y 2\n");
            Assert.Equal("inner", ((YScalar)doc.Anchors["x"]).Value);
            Assert.Equal("2", ((YScalar)doc.Anchors["y"]).Value);
        }
    }
}
