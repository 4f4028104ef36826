/** The cdk8s App a GitOps tree is built in: its files are rendered by `renderFiles` and written by the writer, never by cdk8s's own synth. */
import { App, AppProps } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * A cdk8s App whose output is a GitOps tree (`ManifestFile`s and `YamlFile`s at fixed paths). The
 * meshfleet constructs that make a tree refuse, at validation, any other App: cdk8s's own synth would
 * write them as flat `*.k8s.yaml` files, a partial tree.
 */
export class TreeApp extends App {
  /** True when `scope` is in a `TreeApp`. */
  public static isTreeApp(scope: IConstruct): boolean {
    const root = scope.node.root;
    return root instanceof TreeApp;
  }

  constructor(props: AppProps = {}) {
    super({ outdir: '.cdk8s.out', ...props });
  }
}

/** The validation message of a tree construct outside a `TreeApp`. */
export const OUTSIDE_TREE_APP = 'is in a plain cdk8s App, whose synth would write a partial tree of flat *.k8s.yaml files; '
  + 'build it in a MeshfleetApp (its synth writes the whole GitOps tree through meshfleet\'s writer), or render it with synthPluralTree / synthArgoCdTree';
