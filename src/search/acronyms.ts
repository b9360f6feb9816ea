import { fold } from '../corpus/paper.js';

// Acronyms every ML reader knows; the corpus adds its own from "long form (ACRONYM)" definitions.
const COMMON: Record<string, string[]> = {
  gnn: ['graph neural network'],
  cnn: ['convolutional neural network'],
  rnn: ['recurrent neural network'],
  lstm: ['long short term memory'],
  llm: ['large language model'],
  mlp: ['multi layer perceptron', 'multilayer perceptron'],
  nlp: ['natural language processing'],
  ner: ['named entity recognition'],
  nas: ['neural architecture search'],
  ssl: ['self supervised learning'],
  rl: ['reinforcement learning'],
  gan: ['generative adversarial network'],
  vae: ['variational autoencoder'],
  kan: ['kolmogorov arnold network'],
  ctr: ['click through rate'],
  mtl: ['multi task learning'],
  peft: ['parameter efficient fine tuning'],
  vit: ['vision transformer'],
  moe: ['mixture of experts'],
  asr: ['automatic speech recognition'],
  kd: ['knowledge distillation'],
};

export interface Acronyms {
  /** Long forms of an acronym, as word lists: "gnn" -> [["graph", "neural", "network"]]. */
  longForms(acronym: string): string[][];
  /** The acronym a run of words spells out, if known: ["named", "entity", "recognition"] -> "ner". */
  acronymFor(words: string[]): string | null;
}

// "Graph Neural Networks (GNNs)": a bracketed capitalised acronym, optionally plural, after its words.
const ACRONYM = /\((\p{Lu}[\p{Lu}\p{N}]*?)s?\)/gu;
// How far back to look for the words an acronym stands for.
const LOOK_BACK = 120;
const MIN_LETTERS = 2;
const MAX_LETTERS = 6;

/** Acronyms the texts define ("Graph Neural Networks (GNNs)" -> gnn: graph neural network); the first definition wins. */
export function findAcronymDefinitions(texts: Iterable<string>): Record<string, string[]> {
  const defined: Record<string, string[]> = {};
  for (const text of texts) {
    if (!text.includes('(')) continue;
    for (const match of text.matchAll(ACRONYM)) {
      const letters = match[1]!;
      if (letters.length < MIN_LETTERS || letters.length > MAX_LETTERS || !/^\p{Lu}+$/u.test(letters)) continue;
      const acronym = fold(letters);
      if (acronym in defined || acronym in COMMON) continue;
      const before = text.slice(Math.max(0, match.index - LOOK_BACK), match.index);
      if (!/[\s-]$/.test(before)) continue;
      const words = fold(before).split(/[^\p{L}\p{N}]+/u).filter(Boolean).slice(-acronym.length);
      if (words.length === acronym.length && words.every((w, i) => w[0] === acronym[i])) {
        defined[acronym] = words.map((w, i) => (i === words.length - 1 ? singular(w) : w));
      }
    }
  }
  return defined;
}

/** The common acronyms plus those a corpus defines. */
export function makeAcronyms(defined: Record<string, string[]>): Acronyms {
  const forms = new Map<string, string[][]>();
  const byKey = new Map<string, string>();
  const add = (acronym: string, words: string[]) => {
    const key = keyOf(words);
    if (byKey.has(key)) return;
    byKey.set(key, acronym);
    const known = forms.get(acronym);
    if (known) known.push(words);
    else forms.set(acronym, [words]);
  };
  for (const [acronym, longForms] of Object.entries(COMMON)) for (const form of longForms) add(acronym, form.split(' '));
  for (const [acronym, words] of Object.entries(defined)) add(acronym, words);
  return {
    longForms: (acronym) => forms.get(acronym) ?? forms.get(singular(acronym)) ?? [],
    acronymFor: (words) => byKey.get(keyOf(words.map((w, i) => (i === words.length - 1 ? singular(w) : w)))) ?? null,
  };
}

function keyOf(words: string[]): string {
  return words.join('');
}

function singular(word: string): string {
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}
