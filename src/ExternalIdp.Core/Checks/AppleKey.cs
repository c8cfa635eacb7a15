using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace ExternalIdp.Core.Checks
{
    /// <summary>
    /// Checks a Sign in with Apple key as Kratos reads it (Go's pem.Decode, then
    /// x509.ParsePKCS8PrivateKey, then an ECDSA key for ES256): a PEM "PRIVATE KEY" block holding a
    /// PKCS#8 PrivateKeyInfo of an EC key on P-256 (prime256v1). netstandard2.0 has no PKCS#8
    /// import, so the DER is read here, just far enough. Messages never contain key material.
    /// </summary>
    public static class AppleKey
    {
        private const string EcPublicKey = "1.2.840.10045.2.1";
        private const string Prime256v1 = "1.2.840.10045.3.1.7";

        private static readonly Dictionary<string, string> KnownAlgorithms = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["1.2.840.113549.1.1.1"] = "an RSA key",
            ["1.2.840.113549.1.1.10"] = "an RSA-PSS key",
            ["1.3.101.112"] = "an Ed25519 key",
            ["1.3.101.113"] = "an Ed448 key",
            ["1.2.840.10040.4.1"] = "a DSA key",
        };

        private static readonly Dictionary<string, string> KnownCurves = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["1.3.132.0.34"] = "P-384 (secp384r1)",
            ["1.3.132.0.35"] = "P-521 (secp521r1)",
            ["1.3.132.0.10"] = "secp256k1",
            ["1.2.840.10045.3.1.1"] = "P-192 (prime192v1)",
        };

        /// <summary>The order n of P-256: a private scalar must lie in [1, n-1].</summary>
        private static readonly byte[] P256Order =
        {
            0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
            0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
        };

        private static readonly Regex AppleId = new Regex("^[A-Za-z0-9]{10}$", RegexOptions.CultureInvariant);

        /// <summary>Why an Apple team id or key id is not one (10 letters and digits), or null.</summary>
        public static string IdProblem(string value, string what, string parameter)
        {
            if (string.IsNullOrEmpty(value)) return $"no {what} ({parameter}): give the 10-character {what} from your Apple developer account.";
            if (IdpRules.IsPlaceholder(value)) return $"the {what} is a template placeholder ('{IdpRules.Printable(value)}') that Kratos does not expand: put the value itself in its place.";
            if (!AppleId.IsMatch(value))
                return $"the {what} '{IdpRules.Printable(value)}' has {value.Length} character{(value.Length == 1 ? "" : "s")}{(value.Any(c => !char.IsLetterOrDigit(c)) ? " (not only letters and digits)" : "")}, but Apple's are exactly 10 letters and digits: copy it again from your Apple developer account ({parameter}).";
            return null;
        }

        /// <summary>
        /// Why Kratos can't use this PEM as a Sign in with Apple key, or null when it holds a PKCS#8
        /// EC P-256 private key. Never quotes the key.
        /// </summary>
        public static string KeyProblem(string pem)
        {
            const string Fix = " Give the whole content of the AuthKey_<key id>.p8 file that Apple issued, from '-----BEGIN PRIVATE KEY-----' to '-----END PRIVATE KEY-----'.";
            if (string.IsNullOrWhiteSpace(pem)) return "no private key (apple_private_key)." + Fix;
            if (IdpRules.IsPlaceholder(pem)) return "the private key is a template placeholder that Kratos does not expand." + Fix;
            if (pem.IndexOf('\n') < 0 && pem.Contains("\\n"))
                return "the private key holds the two characters \\n where its line breaks belong (an escaped string pasted as it is), so Kratos can't find the PEM block. Put real line breaks in their place.";
            int begin = pem.IndexOf("-----BEGIN ", StringComparison.Ordinal);
            if (begin < 0) return "the private key is not PEM: there is no '-----BEGIN PRIVATE KEY-----' line." + Fix;
            int labelEnd = pem.IndexOf("-----", begin + 11, StringComparison.Ordinal);
            if (labelEnd < 0) return "the private key's BEGIN line is incomplete." + Fix;
            var label = pem.Substring(begin + 11, labelEnd - begin - 11);
            switch (label)
            {
                case "PRIVATE KEY": break;
                case "EC PRIVATE KEY":
                    return "the private key is an 'EC PRIVATE KEY' (SEC1), but Kratos reads only PKCS#8 ('PRIVATE KEY', as in the .p8 file Apple issues). Use the .p8 file itself, or convert the key: openssl pkcs8 -topk8 -nocrypt -in key.pem.";
                case "RSA PRIVATE KEY":
                    return "the private key is an RSA key, but Sign in with Apple keys are EC P-256 keys (ES256)." + Fix;
                case "ENCRYPTED PRIVATE KEY":
                    return "the private key is encrypted (ENCRYPTED PRIVATE KEY); Kratos needs it unencrypted, as in the .p8 file Apple issues.";
                default:
                    return $"the PEM block is a '{IdpRules.Printable(label)}', not a 'PRIVATE KEY'." + Fix;
            }
            var bodyStart = labelEnd + 5;
            int end = pem.IndexOf("-----END PRIVATE KEY-----", bodyStart, StringComparison.Ordinal);
            if (end < 0) return "the private key has no '-----END PRIVATE KEY-----' line: it is cut short." + Fix;
            var b64 = new string(pem.Substring(bodyStart, end - bodyStart).Where(c => !char.IsWhiteSpace(c)).ToArray());
            byte[] der;
            try { der = Convert.FromBase64String(b64); }
            catch (FormatException) { return "the private key's PEM body is not valid base64 (characters are missing or were changed)." + Fix; }
            if (der.Length == 0) return "the private key's PEM block is empty." + Fix;
            try
            {
                return DerProblem(der, Fix);
            }
            catch (DerException e)
            {
                return $"the private key is not a complete PKCS#8 structure ({e.Message}): it is cut short or damaged." + Fix;
            }
        }

        private static string DerProblem(byte[] der, string fix)
        {
            var outer = new Der(der, 0, der.Length);
            var info = outer.Read(0x30, "PrivateKeyInfo");
            if (outer.Remaining != 0) throw new DerException("bytes after the PrivateKeyInfo");
            var version = info.Read(0x02, "version");
            if (version.Length != 1 || version.Byte(0) > 1) throw new DerException("unexpected version");
            var algorithm = info.Read(0x30, "AlgorithmIdentifier");
            var oid = Oid(algorithm.Read(0x06, "algorithm"));
            if (oid != EcPublicKey)
                return $"the private key is {(KnownAlgorithms.TryGetValue(oid, out var what) ? what : "a key of algorithm " + oid)}, but Sign in with Apple keys are EC P-256 keys (ES256), so Kratos can't sign its client secret with it." + fix;
            if (algorithm.Remaining == 0 || algorithm.PeekTag() != 0x06)
                return "the EC private key names no curve (explicit curve parameters are not what Apple issues)." + fix;
            var curve = Oid(algorithm.Read(0x06, "curve"));
            if (curve != Prime256v1)
                return $"the EC private key is on {(KnownCurves.TryGetValue(curve, out var c) ? c : "curve " + curve)}, but Sign in with Apple uses P-256 (prime256v1, ES256)." + fix;
            var keyOctets = info.Read(0x04, "privateKey");
            var ecKey = new Der(keyOctets.Bytes, keyOctets.Start, keyOctets.Length).Read(0x30, "ECPrivateKey");
            var ecVersion = ecKey.Read(0x02, "ECPrivateKey version");
            if (ecVersion.Length != 1 || ecVersion.Byte(0) != 1) throw new DerException("unexpected ECPrivateKey version");
            var d = ecKey.Read(0x04, "private scalar");
            if (d.Length > 32) return "the EC private key's scalar is longer than 32 bytes, so it is not a P-256 key." + fix;
            if (!InRange(d)) return "the EC private key's scalar is out of range for P-256 (zero, or not below the curve order)." + fix;
            return null;
        }

        private static bool InRange(Der d)
        {
            var padded = new byte[32];
            for (int i = 0; i < d.Length; i++) padded[32 - d.Length + i] = d.Byte(i);
            if (padded.All(b => b == 0)) return false;
            for (int i = 0; i < 32; i++)
            {
                if (padded[i] < P256Order[i]) return true;
                if (padded[i] > P256Order[i]) return false;
            }
            return false; // equal to n
        }

        private static string Oid(Der o)
        {
            if (o.Length == 0) throw new DerException("empty object identifier");
            var parts = new List<long>();
            int first = o.Byte(0);
            parts.Add(first / 40 > 2 ? 2 : first / 40);
            parts.Add(first - 40 * parts[0]);
            long value = 0;
            for (int i = 1; i < o.Length; i++)
            {
                var b = o.Byte(i);
                value = (value << 7) | (uint)(b & 0x7F);
                if ((b & 0x80) == 0) { parts.Add(value); value = 0; }
                else if (value > (1L << 48)) throw new DerException("object identifier too long");
            }
            return string.Join(".", parts);
        }

        private sealed class DerException : Exception
        {
            public DerException(string message) : base(message) { }
        }

        /// <summary>A window on DER bytes: reads tag-length-value elements one after the other.</summary>
        private sealed class Der
        {
            public readonly byte[] Bytes;
            public readonly int Start;
            public readonly int Length;
            private int _pos;

            public Der(byte[] bytes, int start, int length)
            {
                Bytes = bytes; Start = start; Length = length; _pos = start;
            }

            public int Remaining => Start + Length - _pos;
            public byte Byte(int i) => Bytes[Start + i];

            public int PeekTag()
            {
                if (Remaining < 1) throw new DerException("ends early");
                return Bytes[_pos];
            }

            public Der Read(int tag, string what)
            {
                if (Remaining < 2) throw new DerException($"ends before the {what}");
                if (Bytes[_pos] != tag) throw new DerException($"the {what} is missing");
                _pos++;
                int len = Bytes[_pos++];
                if ((len & 0x80) != 0)
                {
                    int n = len & 0x7F;
                    if (n == 0 || n > 3 || Remaining < n) throw new DerException($"bad length of the {what}");
                    len = 0;
                    for (int i = 0; i < n; i++) len = (len << 8) | Bytes[_pos++];
                }
                if (len > Remaining) throw new DerException($"the {what} is cut short");
                var inner = new Der(Bytes, _pos, len);
                _pos += len;
                return inner;
            }
        }
    }
}
