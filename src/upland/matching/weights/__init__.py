"""The weights of the scoring features (issue 10): the coordinator's saved, versioned weights
are what ranks (the `Weights` defaults until one is saved); feedback teaches a proposed change
the coordinator accepts or rejects (`learning`); saved example asks preview what a change
does to their top ten before it is saved."""
