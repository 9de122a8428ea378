/**
 * Reading infrastructure files: YAML (with CloudFormation's short-form tags such as `!Ref` and
 * `!GetAtt`, parsed by the `yaml` library's custom tags) or JSON, into plain data whose intrinsic
 * functions are in their long form (`{ Ref }`, `{ 'Fn::GetAtt': [...] }`).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml, type Tags, YAMLMap, YAMLSeq } from 'yaml';
import { HarnessError } from '../errors/index.js';

const FUNCTIONS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
  'ToJsonString',
  'Length',
];

function cloudFormationTags(): Tags {
  const tags: Tags = [
    { tag: '!Ref', resolve: (s: string) => ({ Ref: s }) },
    { tag: '!Condition', resolve: (s: string) => ({ Condition: s }) },
  ];
  for (const name of FUNCTIONS) {
    const key = `Fn::${name}`;
    tags.push({
      tag: `!${name}`,
      // `!GetAtt Queue.Arn` is the short form of ['Queue', 'Arn'].
      resolve: (s: string) => ({ [key]: name === 'GetAtt' ? splitGetAtt(s) : s }),
    });
    tags.push({
      tag: `!${name}`,
      collection: 'seq',
      nodeClass: YAMLSeq,
      resolve: (node: YAMLMap.Parsed | YAMLSeq.Parsed) => ({ [key]: node.toJSON() }),
    });
    tags.push({
      tag: `!${name}`,
      collection: 'map',
      nodeClass: YAMLMap,
      resolve: (node: YAMLMap.Parsed | YAMLSeq.Parsed) => ({ [key]: node.toJSON() }),
    });
  }
  return tags;
}

function splitGetAtt(s: string): string[] {
  const dot = s.indexOf('.');
  return dot < 0 ? [s] : [s.slice(0, dot), s.slice(dot + 1)];
}

let tags: Tags | undefined;

/**
 * Parses a template's text (JSON or YAML with CloudFormation tags). Throws HarnessError
 * INVALID_TEMPLATE naming the file and line when it does not parse.
 *
 * @example
 * parseTemplateText('Resources:\n  Q: { Type: AWS::SQS::Queue }\n', 'template.yaml');
 */
export function parseTemplateText(text: string, file: string): unknown {
  const trimmed = text.trimStart();
  try {
    if (trimmed.startsWith('{')) return JSON.parse(text);
    tags ??= cloudFormationTags();
    return parseYaml(text, { customTags: tags, prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    const first = String((error as Error).message).split('\n')[0];
    throw new HarnessError('INVALID_TEMPLATE', `${file}: does not parse: ${first}`, {
      hint: 'Check the file with `sam validate --lint` or `cfn-lint`; YAML indentation is the usual cause.',
    });
  }
}

/**
 * Reads and parses a template file.
 *
 * @example
 * const doc = readTemplateFile('/repo/template.yaml');
 */
export function readTemplateFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new HarnessError(
      'INVALID_TEMPLATE',
      `${file}: cannot read (${(error as { code?: string }).code ?? 'error'})`,
      { hint: 'Pass the path of template.yaml, a cdk.out/*.template.json or serverless.yml.' },
    );
  }
  return parseTemplateText(text, file);
}
