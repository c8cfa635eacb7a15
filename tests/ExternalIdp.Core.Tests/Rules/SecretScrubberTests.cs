using ExternalIdp.Core;
using Xunit;

namespace ExternalIdp.Core.Tests.Rules
{
    public class SecretScrubberTests
    {
        [Fact]
        public void A_secret_is_masked_whole_and_a_key_line_by_line_but_not_its_armor()
        {
            const string pem = "-----BEGIN PRIVATE KEY-----\r\nMIGTAgEAMBMGByqGSM49AgEG\nCCqGSM49AwEHBHkwdwIBAQQg\n-----END PRIVATE KEY-----";
            var text = "juju said: client-secret-42 and CCqGSM49AwEHBHkwdwIBAQQg in -----BEGIN PRIVATE KEY-----";
            var scrubbed = SecretScrubber.Scrub(text, new[] { "client-secret-42", pem });
            Assert.Equal("juju said: (secret) and (secret) in -----BEGIN PRIVATE KEY-----", scrubbed);
            Assert.Equal("whole: (secret)", SecretScrubber.Scrub("whole: " + pem, new[] { pem }));
        }

        [Fact]
        public void Short_secrets_and_lines_are_not_looked_for()
        {
            Assert.Equal("a b abc", SecretScrubber.Scrub("a b abc", new[] { "abc" }));
            Assert.Equal("(secret)", SecretScrubber.Scrub("abcd", new[] { "abcd" }));
            Assert.Equal("short", SecretScrubber.Scrub("short", new[] { "short\nlonger-line-here" }));
            Assert.Same("no secret here", SecretScrubber.Scrub("no secret here", new[] { "s3cr3t-value" }));
        }
    }
}
