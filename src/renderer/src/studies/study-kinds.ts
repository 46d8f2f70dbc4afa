// What each study kind is, in a line, and the paper it follows: the study chooser and the study screen say it.
import type { StudyKind } from '@shared/study/study-file';

export interface StudyKindInfo {
  title: string;
  description: string;
  paper: string;
}

export const STUDY_KIND_INFO: Record<StudyKind, StudyKindInfo> = {
  'train-evaluate': {
    title: 'Train & evaluate',
    description: 'One model trained on background only and scored on labelled test data: ROC, SIC, score histograms, AUC ± std over seeds.',
    paper: 'Heimel, Kasieczka, Plehn, Thompson, “QCD or What?”, SciPost Phys. 6, 030 (2019); Farina, Nakai, Shih, Phys. Rev. D 101, 075021 (2020)',
  },
  'inverted-task': {
    title: 'Inverted task',
    description: 'Train on class A and tag B, then the reverse: the 2×2 AUC table and the complexity-bias diagnostics of model independence.',
    paper: 'Finke, Krämer, Morandini, Mück, Oleksiyuk, “Autoencoders for unsupervised anomaly detection in high energy physics”, JHEP 06 (2021) 161',
  },
  'mass-decorrelation': {
    title: 'Mass decorrelation',
    description: 'VAEs with a scan of the DisCo weight λ and the OE-VAE variants: R50 versus 1/JSD and the mass spectra after score cuts.',
    paper: 'Cheng, Arguin, Leissner-Martin, Pilette, Golling, “Variational Autoencoders for Anomalous Jet Tagging”, Phys. Rev. D 107, 016002 (2023)',
  },
  'bump-hunt': {
    title: 'Bump hunt',
    description: 'Score cuts on an invariant-mass spectrum, a dijet-function fit with pulls, a window scan with local (and global) significance.',
    paper: 'Dijet resonance searches (CMS, ATLAS); the mock hunt of Batson, Haaf, Kahn, Roberts, JHEP 04 (2021) 280',
  },
  topology: {
    title: 'Topology',
    description: 'Autoencoders with a bottleneck below and at a manifold’s intrinsic dimension: where the seam is, and how a signal patch scores.',
    paper: 'Batson, Haaf, Kahn, Roberts, “Topological Obstructions to Autoencoding”, JHEP 04 (2021) 280',
  },
  representation: {
    title: 'Representation',
    description: 'A dense AE on raw event objects versus the same AE on the AnomalyCLR contrastive representation, per signal.',
    paper: 'Dillon, Favaro, Feiden, Modak, Plehn, “Anomalies, Representations, and Self-Supervision”, SciPost Phys. Core 7, 056 (2024)',
  },
};
