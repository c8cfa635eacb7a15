using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;
using NJsonSchema.Validation.FormatValidators;

namespace ExternalIdp.Core.Tests
{
    /// <summary>
    /// Validates provider entries against Kratos's own schema (reference/kratos-oidc.schema.json).
    /// The "uri" format is checked the way Kratos's Go validator does (url.Parse + absolute), which
    /// accepts base64://&lt;base64&gt; mapper URLs that .NET's Uri refuses.
    /// </summary>
    public static class KratosSchema
    {
        private static readonly Lazy<JsonSchema> Schema = new Lazy<JsonSchema>(() =>
            JsonSchema.FromJsonAsync(File.ReadAllText(Path.Combine(Reference.Dir, "kratos-oidc.schema.json"))).GetAwaiter().GetResult());

        private sealed class GoUriValidator : IFormatValidator
        {
            private static readonly Regex Abs = new Regex(@"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s\x00-\x1f\x7f]*$");
            public string Format => JsonFormatStrings.Uri;
            public JTokenType[] SupportedTypes => new[] { JTokenType.String };
            public bool IsValid(string value, JTokenType tokenType) => Abs.IsMatch(value);
            public ValidationErrorKind ValidationErrorKind => ValidationErrorKind.UriExpected;
        }

        /// <summary>Schema errors of one provider entry (empty when Kratos would accept it).</summary>
        public static IReadOnlyList<string> Errors(JToken entry)
        {
            var doc = new JObject { ["enabled"] = true, ["config"] = new JObject { ["providers"] = new JArray(entry) } };
            var settings = new JsonSchemaValidatorSettings();
            settings.AddCustomFormatValidator(new GoUriValidator());
            var validator = new JsonSchemaValidator(settings);
            return validator.Validate(doc.ToString(), Schema.Value).Select(e => e.ToString()).ToList();
        }
    }

    public static class Reference
    {
        /// <summary>../shared/reference beside the repository root (the folder holding ExternalIdp.sln).</summary>
        public static string Dir
        {
            get
            {
                var dir = new DirectoryInfo(AppContext.BaseDirectory);
                while (dir != null && !File.Exists(Path.Combine(dir.FullName, "ExternalIdp.sln"))) dir = dir.Parent;
                if (dir == null) throw new InvalidOperationException("ExternalIdp.sln not found above " + AppContext.BaseDirectory);
                var reference = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "reference"));
                if (!Directory.Exists(reference)) throw new InvalidOperationException("reference folder not found at " + reference);
                return reference;
            }
        }
    }
}
