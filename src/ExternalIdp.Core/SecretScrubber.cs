using System;
using System.Collections.Generic;

namespace ExternalIdp.Core
{
    /// <summary>
    /// The one rule for keeping secrets out of text: a secret is replaced by "(secret)" wherever it
    /// appears whole, and a multi-line secret (a PEM key) also line by line, so that a tool that
    /// echoes one line of it gives nothing away. Secrets shorter than 4 characters, lines shorter
    /// than 8 and PEM armor lines ("-----BEGIN PRIVATE KEY-----") are not looked for: they would
    /// blank out ordinary words.
    /// </summary>
    public static class SecretScrubber
    {
        public const string Mask = "(secret)";

        /// <summary>The forms of a secret to look for in text (none for null or a short secret).</summary>
        public static IEnumerable<string> FormsOf(string secret)
        {
            if (string.IsNullOrEmpty(secret)) yield break;
            if (secret.Length >= 4) yield return secret;
            foreach (var line in secret.Split('\n'))
            {
                var l = line.Trim('\r', ' ', '\t');
                if (l.Length >= 8 && l != secret && !l.StartsWith("-----", StringComparison.Ordinal)) yield return l;
            }
        }

        /// <summary>text with every form of the secrets replaced by "(secret)".</summary>
        public static string Scrub(string text, IEnumerable<string> secrets)
        {
            if (string.IsNullOrEmpty(text) || secrets == null) return text ?? "";
            foreach (var secret in secrets)
                foreach (var form in FormsOf(secret))
                    if (text.IndexOf(form, StringComparison.Ordinal) >= 0) text = text.Replace(form, Mask);
            return text;
        }
    }
}
