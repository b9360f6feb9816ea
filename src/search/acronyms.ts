import { singular } from '../base/text/english.js';

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
  // A corpus's own definition of a common acronym does not replace the common one.
  for (const [acronym, words] of Object.entries(defined)) if (!(acronym in COMMON)) add(acronym, words);
  return {
    longForms: (acronym) => forms.get(acronym) ?? forms.get(singular(acronym)) ?? [],
    acronymFor: (words) => byKey.get(keyOf(words.map((w, i) => (i === words.length - 1 ? singular(w) : w)))) ?? null,
  };
}

function keyOf(words: string[]): string {
  return words.join('');
}
