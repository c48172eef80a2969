import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { validateXML } from 'xmllint-wasm';
import type { XmlNode } from './xml-tree.js';

/** Sage's published dtdversion 3.0 request schema, kept unchanged beside this file. */
export const intacctSchemaPath = fileURLToPath(new URL('./schema/api.xsd', import.meta.url));

/** Outcome of validating one request. */
export interface SchemaVerdict {
  readonly valid: boolean;
  /** xmllint's messages, without file names. */
  readonly errors: readonly string[];
}

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

const orderedOptions = { preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', commentPropName: '#comment' } as const;

/**
 * Reduces the schema to what a request can reach, keeping every function name: the functions
 * the sandbox implements keep Sage's full declarations, the others accept any content (the
 * sandbox answers them "not supported" itself). The validation of implemented functions is
 * exactly Sage's; the reduction only makes libxml2 compile a fraction of the 420 KB per call.
 */
export function reduceSchema(xsd: string, implementedFunctions: ReadonlySet<string>): string {
  const parsed = new XMLParser(orderedOptions).parse(withNewerGatewayElements(xsd)) as OrderedNode[];
  const schema = parsed.find((node) => 'xs:schema' in node);
  if (!schema) throw new Error('api.xsd has no xs:schema root');
  const topLevel = schema['xs:schema'] as OrderedNode[];
  const byName = new Map<string, OrderedNode>();
  for (const node of topLevel) {
    const name = node[':@']?.name;
    if (name !== undefined) byName.set(name, node);
  }
  const functionNode = byName.get('function');
  const functionNames = new Set<string>();
  collectRefs(functionNode, functionNames);
  for (const name of newerFunctions) {
    // Functions the gateway gained after the 2019 schema: declared here as open content, and
    // checked by the sandbox's own handler.
    if (functionNames.has(name) || !implementedFunctions.has(name)) continue;
    functionNames.add(name);
    const choice = findChoice(functionNode);
    if (choice) choice.push({ 'xs:element': [], ':@': { ref: name } });
    const declaration = laxElement(name);
    topLevel.push(declaration);
    byName.set(name, declaration);
  }
  const reachable = new Set<string>();
  const visit = (name: string): void => {
    if (reachable.has(name)) return;
    reachable.add(name);
    if (functionNames.has(name) && !implementedFunctions.has(name)) return;
    const refs = new Set<string>();
    collectRefs(byName.get(name), refs);
    for (const ref of refs) visit(ref);
  };
  visit('request');
  const kept = topLevel
    .filter((node) => {
      const name = node[':@']?.name;
      return name !== undefined && reachable.has(name);
    })
    .map((node) => {
      const name = node[':@']!.name!;
      return functionNames.has(name) && !implementedFunctions.has(name) ? laxElement(name) : node;
    });
  const reduced = parsed
    .map((node) => ('xs:schema' in node ? { ...node, 'xs:schema': kept } : node))
    .filter((node) => !('#comment' in node));
  return new XMLBuilder({ ...orderedOptions, suppressEmptyNode: true }).build(reduced);
}

/** An element of the published schema, from its declaration to its end. */
function declarationSpan(xsd: string, name: string): { start: number; end: number } {
  const start = xsd.indexOf(`<xs:element name="${name}">`);
  const end = start < 0 ? -1 : xsd.indexOf('\n  </xs:element>', start);
  if (start < 0 || end < 0) throw new Error(`api.xsd does not declare ${name}`);
  return { start, end };
}

function insertInto(xsd: string, parent: string, anchor: string, insertion: string, position: 'before' | 'after'): string {
  const { start, end } = declarationSpan(xsd, parent);
  const at = xsd.indexOf(anchor, start);
  if (at < 0 || at > end) throw new Error(`api.xsd's ${parent} has no ${anchor}`);
  const index = position === 'before' ? at : at + anchor.length;
  return xsd.slice(0, index) + insertion + xsd.slice(index);
}

/**
 * Sage's 2019 schema with the elements the live gateway gained since for sales documents under
 * a tax solution (VAT/GST companies and Intacct's tax engine): `taxsolutionid` on the header,
 * before the lines, and `taxentries` (each `taxentry` a tax detail and, optionally, the tax
 * amount `trx_tax`) at the end of a line. The same shapes as the gateway's AR and AP functions
 * (`create_invoice` line items, `create_aradjustment`); Sage's SDK builders do not write them.
 */
export function withNewerGatewayElements(xsd: string): string {
  if (xsd.includes('<xs:element name="taxentries">')) return xsd;
  let extended = insertInto(
    xsd,
    'create_sotransaction',
    '<xs:element ref="sotransitems"/>',
    '<xs:element ref="taxsolutionid" minOccurs="0" maxOccurs="1"/>\n        ',
    'before',
  );
  extended = insertInto(
    extended,
    'sotransitem',
    '<xs:element ref="shipto" minOccurs="0" maxOccurs="1"/>',
    '\n        <xs:element ref="taxentries" minOccurs="0" maxOccurs="1"/>',
    'after',
  );
  const text = (name: string) => `  <xs:element name="${name}">\n    <xs:complexType mixed="true">\n  </xs:complexType>\n  </xs:element>\n`;
  const declarations = [
    text('taxsolutionid'),
    text('trx_tax'),
    '  <xs:element name="taxentries">\n    <xs:complexType>\n      <xs:sequence>\n        <xs:element ref="taxentry" maxOccurs="unbounded"/>\n      </xs:sequence>\n    </xs:complexType>\n  </xs:element>\n',
    '  <xs:element name="taxentry">\n    <xs:complexType>\n      <xs:sequence>\n        <xs:element ref="detailid"/>\n        <xs:element ref="trx_tax" minOccurs="0" maxOccurs="1"/>\n      </xs:sequence>\n    </xs:complexType>\n  </xs:element>\n',
  ].join('');
  const close = extended.lastIndexOf('</xs:schema>');
  return extended.slice(0, close) + declarations + extended.slice(close);
}

/** Functions the live gateway serves that Sage's published 2019 schema does not declare. */
export const newerFunctions: readonly string[] = ['query'];

function findChoice(node: unknown): OrderedNode[] | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findChoice(item);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof node !== 'object' || node === null) return undefined;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'xs:choice') return value as OrderedNode[];
    if (key !== ':@') {
      const found = findChoice(value);
      if (found) return found;
    }
  }
  return undefined;
}

function laxElement(name: string): OrderedNode {
  return {
    'xs:element': [
      {
        'xs:complexType': [
          { 'xs:sequence': [{ 'xs:any': [], ':@': { processContents: 'skip', minOccurs: '0', maxOccurs: 'unbounded' } }] },
          { 'xs:anyAttribute': [], ':@': { processContents: 'skip' } },
        ],
        ':@': { mixed: 'true' },
      },
    ],
    ':@': { name },
  };
}

function collectRefs(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const child of node) collectRefs(child, into);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const attributes = (node as OrderedNode)[':@'];
  if (attributes?.ref !== undefined) into.add(attributes.ref);
  if (attributes?.type !== undefined && !attributes.type.startsWith('xs:')) into.add(attributes.type);
  if (attributes?.base !== undefined && !attributes.base.startsWith('xs:')) into.add(attributes.base);
  for (const [key, value] of Object.entries(node)) if (key !== ':@') collectRefs(value, into);
}

/** How the schema constrains the text of an element or attribute with a given name. */
type TextConstraint = { readonly kind: 'exact' } | { readonly kind: 'length'; readonly min: number; readonly max: number };

/**
 * Names whose text the schema constrains (a type other than xs:string, an enumeration, a
 * length, a fixed value). The text of every other element is free, so only whether it is
 * blank matters to validity.
 */
export function textConstraints(reducedSchema: string): { elements: Map<string, TextConstraint>; attributes: Map<string, TextConstraint> } {
  const parsed = new XMLParser(orderedOptions).parse(reducedSchema) as OrderedNode[];
  const elements = new Map<string, TextConstraint>();
  const attributes = new Map<string, TextConstraint>();
  const merge = (into: Map<string, TextConstraint>, name: string, constraint: TextConstraint): void => {
    const existing = into.get(name);
    into.set(name, existing === undefined || JSON.stringify(existing) === JSON.stringify(constraint) ? constraint : { kind: 'exact' });
  };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const ordered = node as OrderedNode;
    const tag = Object.keys(ordered).find((key) => key !== ':@');
    const attributesOf = ordered[':@'] ?? {};
    if ((tag === 'xs:element' || tag === 'xs:attribute') && attributesOf.name !== undefined) {
      const constraint = constraintOf(attributesOf, tag === undefined ? undefined : ordered[tag]);
      if (constraint) merge(tag === 'xs:element' ? elements : attributes, attributesOf.name, constraint);
    }
    if (tag !== undefined) walk(ordered[tag]);
  };
  walk(parsed);
  return { elements, attributes };
}

function constraintOf(attributes: Record<string, string>, body: unknown): TextConstraint | undefined {
  if (attributes.fixed !== undefined) return { kind: 'exact' };
  if (attributes.type !== undefined && attributes.type !== 'xs:string') return { kind: 'exact' };
  const facets: Record<string, string> = {};
  let restricted = false;
  const find = (node: unknown, inComplexType: boolean): void => {
    if (Array.isArray(node)) {
      for (const item of node) find(item, inComplexType);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const ordered = node as OrderedNode;
    const tag = Object.keys(ordered).find((key) => key !== ':@');
    if (tag === undefined) return;
    // Constraints of nested element declarations belong to those elements.
    if (tag === 'xs:element' || tag === 'xs:attribute') return;
    if (tag === 'xs:restriction' && !inComplexType) {
      restricted = true;
      if (ordered[':@']?.base !== 'xs:string') facets.base = ordered[':@']?.base ?? '';
    }
    if (['xs:minLength', 'xs:maxLength', 'xs:length', 'xs:enumeration', 'xs:pattern'].includes(tag))
      facets[tag] = ordered[':@']?.value ?? '';
    find(ordered[tag], inComplexType || tag === 'xs:complexType');
  };
  find(body, false);
  if (!restricted) return undefined;
  const keys = Object.keys(facets);
  if (keys.every((key) => key === 'xs:minLength' || key === 'xs:maxLength')) {
    return {
      kind: 'length',
      min: Number(facets['xs:minLength'] ?? '0'),
      max: Number(facets['xs:maxLength'] ?? String(Number.MAX_SAFE_INTEGER)),
    };
  }
  return { kind: 'exact' };
}

function representative(text: string, constraint: TextConstraint | undefined): string {
  if (constraint?.kind === 'exact') return text;
  if (constraint?.kind === 'length') {
    const length = [...text].length;
    return 'x'.repeat(
      length < constraint.min ? length : length > constraint.max ? constraint.max + 1 : Math.max(constraint.min, Math.min(length, 1)),
    );
  }
  return text.trim() === '' ? '' : 'x';
}

function escape(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

interface Pending {
  readonly xml: string;
  readonly resolve: (verdict: SchemaVerdict) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Validates requests against the schema with libxml2 (xmllint-wasm). Each xmllint run starts a
 * worker and compiles the schema (hundreds of milliseconds), so the validator (1) validates the
 * request's skeleton: the same elements and attributes, with free text reduced to "blank or
 * not", which the schema cannot tell apart, and constrained text kept; (2) remembers the
 * verdict per skeleton; (3) validates skeletons that arrive together in one run.
 */
export class SchemaValidator {
  private readonly schema: string;
  private readonly constraints: ReturnType<typeof textConstraints>;
  private readonly verdicts = new Map<string, Promise<SchemaVerdict>>();
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(implementedFunctions: ReadonlySet<string>, xsd: string = fs.readFileSync(intacctSchemaPath, 'utf8')) {
    this.schema = reduceSchema(xsd, implementedFunctions);
    this.constraints = textConstraints(this.schema);
  }

  /** The document the schema sees the same way as the request. */
  skeleton(root: XmlNode): string {
    const parts: string[] = [];
    const write = (node: XmlNode): void => {
      parts.push('<', node.name);
      for (const [name, value] of Object.entries(node.attributes))
        parts.push(' ', name, '="', escape(representative(value, this.constraints.attributes.get(name))), '"');
      parts.push('>', escape(representative(node.text, this.constraints.elements.get(node.name))));
      for (const child of node.children) write(child);
      parts.push('</', node.name, '>');
    };
    write(root);
    return parts.join('');
  }

  /** Validates a parsed request. */
  validate(root: XmlNode): Promise<SchemaVerdict> {
    const skeleton = this.skeleton(root);
    const known = this.verdicts.get(skeleton);
    if (known) return known;
    const verdict = new Promise<SchemaVerdict>((resolve, reject) => {
      this.pending.push({ xml: skeleton, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
    if (this.verdicts.size >= 5000) this.verdicts.clear();
    this.verdicts.set(skeleton, verdict);
    verdict.catch(() => this.verdicts.delete(skeleton));
    return verdict;
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    try {
      const result = await validateXML({
        xml: batch.map((item, index) => ({ fileName: `request-${index}.xml`, contents: item.xml })),
        schema: [{ fileName: 'api.xsd', contents: this.schema }],
        maxMemoryPages: 4096,
      });
      const errorsByFile = new Map<string, string[]>();
      for (const error of result.errors) {
        const fileName = error.loc?.fileName ?? /^(request-\d+\.xml)/.exec(error.rawMessage)?.[1];
        if (fileName === undefined) continue;
        const list = errorsByFile.get(fileName) ?? [];
        list.push(error.message.replace(/^Schemas validity error\s*:\s*/, ''));
        errorsByFile.set(fileName, list);
      }
      batch.forEach((item, index) => {
        const errors = errorsByFile.get(`request-${index}.xml`) ?? [];
        item.resolve({ valid: errors.length === 0, errors });
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  }
}
