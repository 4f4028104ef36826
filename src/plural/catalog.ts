/** The Plural `Catalog` kind (groups PR automations in the UI) as an L2 construct. */
import { Construct } from 'constructs';
import { Catalog as L1Catalog } from '../../imports/plural-catalog-deployments.plural.sh';
import { checkObjectName } from './common';

/** Props of a `Catalog`. */
export interface CatalogProps {
  /** Name of the (cluster-scoped) Catalog object. */
  readonly name: string;
  /** Author shown in the UI (required by the CRD). */
  readonly author: string;
  /**
   * Description shown in the UI.
   * @default - none
   */
  readonly description?: string;
  /**
   * Category shown in the UI.
   * @default - none
   */
  readonly category?: string;
}

/** A Plural Catalog (cluster-scoped): groups PR automations in the UI. */
export class Catalog extends Construct {
  /** The generated L1 object. */
  public readonly resource: L1Catalog;
  /** Name of the catalog. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: CatalogProps) {
    super(scope, id);
    checkObjectName(`catalog "${props.name}"`, props.name);
    if (!props.author) throw new Error(`catalog "${props.name}": author is required`);
    this.name = props.name;
    this.resource = new L1Catalog(this, 'Resource', {
      metadata: { name: props.name },
      spec: { name: props.name, author: props.author, description: props.description, category: props.category },
    });
  }
}
