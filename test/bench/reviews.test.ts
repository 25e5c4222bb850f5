/**
 * The webhook benchmark's review bodies are written as kube-apiserver writes them: Go struct field
 * order, which decides the hidden classes of the objects the webhook's JSON.parse builds.
 */
import { expect } from 'chai';
import { inApiServerOrder, largeUpdateReview, typicalReviews } from '../../bench/reviews.ts';

type Obj = Record<string, unknown>;

describe('benchmark review bodies', () => {
  it('have their keys in kube-apiserver order (AdmissionReview, request, userInfo, slice, metadata, endpoints, ports)', () => {
    for (const { body } of [...typicalReviews(8, 16).reviews, ...largeUpdateReview(8).reviews]) {
      const review = JSON.parse(body) as Obj;
      expect(Object.keys(review)).to.deep.equal(['kind', 'apiVersion', 'request']);
      const request = review.request as Obj;
      expect(Object.keys(request).slice(0, 3)).to.deep.equal(['uid', 'kind', 'resource']);
      expect(Object.keys(request).indexOf('userInfo')).to.be.lessThan(Object.keys(request).indexOf('object'));
      expect(Object.keys(request.userInfo as Obj)[0]).to.equal('username');
      const slice = request.object as Obj;
      expect(Object.keys(slice)).to.deep.equal(['kind', 'apiVersion', 'metadata', 'addressType', 'endpoints', 'ports']);
      expect(Object.keys(slice.metadata as Obj)[0]).to.equal('name');
      const labels = Object.keys((slice.metadata as Obj).labels as Obj);
      expect(labels).to.deep.equal([...labels].sort());
      for (const e of slice.endpoints as Obj[]) {
        const keys = Object.keys(e);
        const go = ['addresses', 'conditions', 'hostname', 'targetRef', 'nodeName', 'zone', 'hints'].filter((k) => keys.includes(k));
        expect(keys).to.deep.equal(go);
      }
      for (const p of slice.ports as Obj[]) expect(Object.keys(p)).to.deep.equal(['name', 'protocol', 'port', 'appProtocol'].filter((k) => k in p));
    }
  });

  it('keep every key and value: only the order changes', () => {
    const review = { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { object: { ports: [{ port: 80, name: 'http', x: 1 }], kind: 'EndpointSlice' }, uid: 'u' } };
    const text = inApiServerOrder(review);
    expect(JSON.parse(text)).to.deep.equal(review);
    expect(text).to.equal('{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{"uid":"u","object":{"kind":"EndpointSlice","ports":[{"name":"http","port":80,"x":1}]}}}');
  });
});
